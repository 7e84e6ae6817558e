/** NATS headers every platform message carries besides `Nats-Msg-Id`. */
export const HEADER = {
  eventId: 'Olist-Event-Id',
  eventType: 'Olist-Event-Type',
  correlationId: 'Olist-Correlation-Id',
  causationId: 'Olist-Causation-Id',
  /**
   * On a batch message: the number of envelopes in its body (a JSON array of envelopes of one
   * subject). `Olist-Event-Id` and `Nats-Msg-Id` then name the batch, not an event.
   */
  events: 'Olist-Events',
} as const;
