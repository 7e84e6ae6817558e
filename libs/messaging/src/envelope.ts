/** The envelope every event travels in (ARCHITECTURE §4). */
export interface EventEnvelope<TPayload = unknown> {
  /** UUID; also the JetStream `Nats-Msg-Id`, so a re-published event is dropped as a duplicate. */
  readonly id: string;
  /** Wire name, e.g. `sales.order-placed`; never a class name. */
  readonly type: string;
  readonly version: number;
  /** Business time from the data (ISO-8601). */
  readonly occurredAt: string;
  /** When the platform recorded the event (ISO-8601). */
  readonly recordedAt: string;
  readonly aggregateId: string;
  readonly correlationId: string;
  /** Id of the event or request that caused this one. */
  readonly causationId: string | null;
  readonly payload: TPayload;
}
