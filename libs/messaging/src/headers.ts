/** NATS headers every platform message carries besides `Nats-Msg-Id`. */
export const HEADER = {
  eventId: 'Olist-Event-Id',
  eventType: 'Olist-Event-Type',
  correlationId: 'Olist-Correlation-Id',
  causationId: 'Olist-Causation-Id',
} as const;
