import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * Whether an upstream backlog (messages other consumers have yet to apply) still holds derived
 * work back: while it is being worked off — it shrank within `maxWaitMs` — yes; once it is empty,
 * or has not shrunk for `maxWaitMs` (a stuck consumer, or one fed as fast as it applies), no.
 */
export class BacklogWatch {
  /** The backlog at the last look since the last reset (-1: none yet), and when it last shrank. */
  private value = -1;
  private shrunkAt = 0;

  holds(pending: number, now: number, maxWaitMs: number): boolean {
    if (this.value < 0 || pending < this.value) this.shrunkAt = now;
    this.value = pending;
    return pending > 0 && now - this.shrunkAt < maxWaitMs;
  }

  /** After the derived work ran: the next backlog is looked at afresh. */
  reset(): void {
    this.value = -1;
    this.shrunkAt = 0;
  }
}

/**
 * A `holdBack` for a durable consumer whose work is cheaper once other consumers of the same
 * stream have caught up: true while `consumers` work off a backlog (their pending and unacknowledged
 * messages, as JetStream counts them) that keeps shrinking; false once it is empty or has not
 * shrunk for `maxWaitMs`. A consumer JetStream does not know counts as caught up.
 */
export function whileBacklogShrinks(
  jsm: () => Promise<JetStreamManager>,
  stream: string,
  consumers: readonly string[],
  maxWaitMs: number,
  now: () => number = Date.now,
): () => Promise<boolean> {
  const backlog = new BacklogWatch();
  let manager: JetStreamManager | undefined;
  return async () => {
    manager ??= await jsm();
    let pending = 0;
    for (const name of consumers) {
      const info = await manager.consumers.info(stream, name).catch(() => undefined);
      if (info) pending += info.num_pending + info.num_ack_pending;
    }
    const held = backlog.holds(pending, now(), maxWaitMs);
    if (pending === 0) backlog.reset();
    return held;
  };
}
