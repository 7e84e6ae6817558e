/** What a service keeps of the bodies it wrote at most, in UTF-16 code units (about as many bytes for JSON). */
export const OUTBOX_BODIES_BUDGET = 64 * 1024 * 1024;

/**
 * The bodies of the outbox rows this process wrote, by row id, for its own relay: a row's body is
 * the text `Outbox.append` sent as the row's `envelope` parameter, which PostgreSQL stores
 * verbatim, so the relay may publish it from here instead of reading the stored (compressed,
 * TOASTed) value back — the largest part of what the relay's reads cost the database.
 *
 * Only ever a shortcut: a row the relay finds here is taken out, one it does not find (written by
 * another instance, before a restart, by SQL such as the raw feed, or evicted) is read from the
 * table. A body is remembered before its transaction commits; a rolled-back row never appears in
 * the table (row ids are random), so its body is never asked for and ages out like any other.
 * Oldest first, bodies are forgotten once the total passes the budget. Bodies are kept only while
 * the process's relay leads (`lead(true)`): an instance whose relay waits keeps none.
 */
export class OutboxBodies {
  private readonly bodies = new Map<string, string>();
  private held = 0;
  private leading: boolean;

  /** `leading`: whether bodies are kept from the start (a relay that leads from the start, tests). */
  constructor(
    readonly budget: number = OUTBOX_BODIES_BUDGET,
    leading = true,
  ) {
    this.leading = leading;
  }

  /** Code units held now. */
  get size(): number {
    return this.held;
  }

  /** Whether bodies are kept: the relay says so as it takes or loses leadership (losing it forgets them all). */
  lead(leading: boolean): void {
    this.leading = leading;
    if (!leading) {
      this.bodies.clear();
      this.held = 0;
    }
  }

  remember(id: string, body: string): void {
    if (!this.leading || body.length > this.budget) return;
    this.forget(id);
    this.bodies.set(id, body);
    this.held += body.length;
    for (const [oldest, old] of this.bodies) {
      if (this.held <= this.budget) break;
      this.bodies.delete(oldest);
      this.held -= old.length;
    }
  }

  /** The body of row `id`, removed from memory; undefined when it is not here. */
  take(id: string): string | undefined {
    const body = this.bodies.get(id);
    if (body !== undefined) this.forget(id);
    return body;
  }

  private forget(id: string): void {
    const body = this.bodies.get(id);
    if (body === undefined) return;
    this.bodies.delete(id);
    this.held -= body.length;
  }
}
