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
