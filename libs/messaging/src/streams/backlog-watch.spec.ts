import type { JetStreamManager } from '@nats-io/jetstream';
import { BacklogWatch, whileBacklogShrinks } from './backlog-watch';

describe('BacklogWatch', () => {
  it('holds while the backlog shrinks, however long that takes', () => {
    const watch = new BacklogWatch();
    let pending = 1_000;
    for (let t = 0; t <= 120_000; t += 5_000, pending -= 40) expect(watch.holds(pending, t, 10_000)).toBe(true);
  });

  it('lets go once the backlog is empty', () => {
    const watch = new BacklogWatch();
    expect(watch.holds(5, 0, 10_000)).toBe(true);
    expect(watch.holds(0, 1_000, 10_000)).toBe(false);
  });

  it('lets go of a backlog that has not shrunk for the longest wait, also while it grows', () => {
    const watch = new BacklogWatch();
    expect(watch.holds(50, 0, 10_000)).toBe(true);
    expect(watch.holds(50, 9_999, 10_000)).toBe(true);
    expect(watch.holds(80, 10_000, 10_000)).toBe(false);
  });

  it('looks at a new backlog afresh after a reset', () => {
    const watch = new BacklogWatch();
    expect(watch.holds(0, 0, 10_000)).toBe(false);
    watch.reset();
    // A load arriving an hour later is held, not taken for a stuck one.
    expect(watch.holds(300, 3_600_000, 10_000)).toBe(true);
    expect(watch.holds(300, 3_609_999, 10_000)).toBe(true);
    expect(watch.holds(300, 3_610_000, 10_000)).toBe(false);
  });
});

describe('whileBacklogShrinks', () => {
  /** JetStream's view of the stream's consumers, as the test sets it (an unknown consumer is missing). */
  function jetStream(pending: Record<string, [number, number]>) {
    const asked: string[] = [];
    const jsm = {
      consumers: {
        info: async (stream: string, name: string) => {
          asked.push(`${stream}/${name}`);
          const counts = pending[name];
          if (!counts) throw new Error('consumer not found');
          return { num_pending: counts[0], num_ack_pending: counts[1] };
        },
      },
    } as unknown as JetStreamManager;
    return { jsm, asked };
  }

  it('holds while the named consumers work off a shrinking backlog, counting unacknowledged messages', async () => {
    const pending: Record<string, [number, number]> = { items: [300, 20], payments: [100, 0], other: [5_000, 0] };
    const { jsm, asked } = jetStream(pending);
    let t = 0;
    let connected = 0;
    const hold = whileBacklogShrinks(async () => (connected++, jsm), 'OLIST_IMPORT', ['items', 'payments'], 10_000, () => t);
    expect(await hold()).toBe(true);
    pending['items'] = [0, 20];
    pending['payments'] = [0, 0];
    t = 9_000;
    expect(await hold()).toBe(true);
    pending['items'] = [0, 0];
    t = 9_500;
    expect(await hold()).toBe(false);
    expect(connected).toBe(1);
    expect(new Set(asked)).toEqual(new Set(['OLIST_IMPORT/items', 'OLIST_IMPORT/payments']));
  });

  it('lets go of a backlog that has not shrunk for the longest wait, and watches the next one afresh', async () => {
    const pending: Record<string, [number, number]> = { geolocation: [40, 0] };
    const { jsm } = jetStream(pending);
    let t = 0;
    const hold = whileBacklogShrinks(async () => jsm, 'OLIST_IMPORT', ['geolocation'], 10_000, () => t);
    expect(await hold()).toBe(true);
    t = 10_000;
    expect(await hold()).toBe(false);
    pending['geolocation'] = [0, 0];
    t = 11_000;
    expect(await hold()).toBe(false);
    // A new load: a backlog again, watched from now.
    pending['geolocation'] = [60, 0];
    t = 50_000;
    expect(await hold()).toBe(true);
  });

  it('counts a consumer JetStream does not know as caught up', async () => {
    const { jsm } = jetStream({});
    const hold = whileBacklogShrinks(async () => jsm, 'OLIST_IMPORT', ['missing'], 10_000, () => 0);
    expect(await hold()).toBe(false);
  });
});
