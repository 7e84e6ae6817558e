import { type BeforeApplicationShutdown, type FactoryProvider, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Outbox } from '../outbox/outbox';
import { type SqlTx, type Transactor, TypeOrmTransactor } from '../sql';

/**
 * One round of a backfill, in a transaction of its own: works on what follows `after` (a cursor
 * the previous round returned, '' at first) and tells how much it did and where it stopped, or
 * `last: null` when nothing was left.
 */
export type BackfillRound = (tx: SqlTx, after: string) => Promise<{ readonly done: number; readonly last: string | null }>;

/**
 * Work a service catches up on once, when it starts: events its data calls for but that an earlier
 * version of it never wrote. Runs in the background beside the consumers (start-up does not wait),
 * one transaction per round until a round finds nothing; stops between rounds when the service
 * shuts down (the next start resumes). A failed round is logged and ends the backfill until the
 * next start. Provide one per backfill from the service's module (Nest calls its hooks).
 */
export class StartupBackfill implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /**
   * The provider of a service's backfill: its rounds, given the service's outbox, run in
   * transactions of the service's DataSource and log as `Backfill`.
   */
  static provider(what: string, rounds: (outbox: Outbox) => BackfillRound): FactoryProvider<StartupBackfill> {
    return {
      provide: StartupBackfill,
      inject: [Outbox, getDataSourceToken()],
      useFactory: (outbox: Outbox, db: DataSource) => new StartupBackfill(what, new TypeOrmTransactor(db), rounds(outbox), new Logger('Backfill')),
    };
  }

  private running?: Promise<number | undefined>;
  private stopped = false;

  constructor(
    /** What it catches up on, for the log: "distances never announced (shipments)". */
    private readonly what: string,
    private readonly transactor: Transactor<SqlTx>,
    private readonly round: BackfillRound,
    private readonly logger: { log(message: string): void; warn(message: string): void },
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run().then(
      (done) => {
        if (done > 0) this.logger.log(`caught up on ${this.what}: ${done}`);
        return done;
      },
      (error: unknown) => {
        this.logger.warn(`catching up on ${this.what} failed (the next start resumes): ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Runs rounds until one finds nothing (or the service stops); resolves with what they did in all. */
  async run(): Promise<number> {
    let done = 0;
    for (let after = ''; !this.stopped; ) {
      const round = await this.transactor.transaction((tx) => this.round(tx, after));
      done += round.done;
      if (round.last === null) break;
      after = round.last;
    }
    return done;
  }

  /** What the start-up run did: its total, or undefined while running or when it failed. */
  async finished(): Promise<number | undefined> {
    return this.running;
  }
}
