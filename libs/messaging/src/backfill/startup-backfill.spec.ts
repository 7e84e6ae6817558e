import type { SqlTx, Transactor } from '../sql';
import { type BackfillRound, StartupBackfill } from './startup-backfill';

/** Runs each round "in a transaction": records that it began and ended, nothing more. */
class CountingTransactor implements Transactor<SqlTx> {
  transactions = 0;
  async transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
    this.transactions += 1;
    return work({ query: async () => [] });
  }
}

const logger = () => {
  const lines: string[] = [];
  return { lines, log: (m: string) => lines.push(`log ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
};

/** Rounds over ids '01'…'NN', `size` at a time after the cursor. */
const roundsOver = (ids: string[], size: number, seen: string[][]): BackfillRound => async (_tx, after) => {
  const chunk = ids.filter((id) => id > after).slice(0, size);
  seen.push(chunk);
  return { done: chunk.length, last: chunk.at(-1) ?? null };
};

describe('StartupBackfill', () => {
  const ids = Array.from({ length: 7 }, (_, i) => String(i + 1).padStart(2, '0'));

  it('runs a round per transaction after the last cursor until a round finds nothing, and logs the total', async () => {
    const seen: string[][] = [];
    const transactor = new CountingTransactor();
    const log = logger();
    const backfill = new StartupBackfill('things', transactor, roundsOver(ids, 3, seen), log);
    backfill.onApplicationBootstrap();
    expect(await backfill.finished()).toBe(7);
    expect(seen).toEqual([['01', '02', '03'], ['04', '05', '06'], ['07'], []]);
    expect(transactor.transactions).toBe(4);
    expect(log.lines).toEqual(['log caught up on things: 7']);
  });

  it('logs nothing when there was nothing to catch up on', async () => {
    const log = logger();
    const backfill = new StartupBackfill('things', new CountingTransactor(), roundsOver([], 3, []), log);
    backfill.onApplicationBootstrap();
    expect(await backfill.finished()).toBe(0);
    expect(log.lines).toEqual([]);
  });

  it('stops between rounds when the service shuts down', async () => {
    const seen: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = roundsOver(ids, 2, seen);
    const backfill = new StartupBackfill('things', new CountingTransactor(), async (tx, after) => {
      if (after === '') await gate;
      return inner(tx, after);
    }, logger());
    backfill.onApplicationBootstrap();
    const stopping = backfill.beforeApplicationShutdown();
    release();
    await stopping;
    expect(seen).toEqual([['01', '02']]);
    expect(await backfill.finished()).toBe(2);
  });

  it('logs a failed round, which ends the backfill until the next start', async () => {
    const log = logger();
    let rounds = 0;
    const backfill = new StartupBackfill('things', new CountingTransactor(), async () => {
      rounds += 1;
      throw new Error('deadlock detected');
    }, log);
    backfill.onApplicationBootstrap();
    expect(await backfill.finished()).toBeUndefined();
    expect(rounds).toBe(1);
    expect(log.lines).toEqual(['warn catching up on things failed (the next start resumes): deadlock detected']);
  });
});
