import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the outbox relay and the consumers of one service. */
export class MessagingMetrics {
  readonly published: Counter<'stream'>;
  readonly publishFailures: Counter<'stream'>;
  readonly relayLatency: Histogram;
  readonly outboxBacklog: Gauge;
  readonly consumed: Counter<'consumer' | 'outcome'>;
  readonly consumerLag: Gauge<'consumer' | 'stream'>;
  readonly deadLetters: Gauge<'consumer'>;
  readonly handleSeconds: Histogram<'consumer'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({ name: 'olist_relay_published_total', help: 'Outbox events published to JetStream and acknowledged', labelNames: ['stream'], registers });
    this.publishFailures = new Counter({ name: 'olist_relay_publish_failures_total', help: 'Publishes that got no PubAck (retried later)', labelNames: ['stream'], registers });
    this.relayLatency = new Histogram({
      name: 'olist_relay_latency_seconds',
      help: 'From outbox commit to JetStream PubAck',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.outboxBacklog = new Gauge({ name: 'olist_outbox_backlog', help: 'Outbox events not yet published', registers });
    this.consumed = new Counter({ name: 'olist_consumer_messages_total', help: 'Messages handled by durable consumers, by outcome (applied, duplicate, retried, dead_lettered)', labelNames: ['consumer', 'outcome'], registers });
    this.consumerLag = new Gauge({ name: 'olist_consumer_lag', help: 'Messages of the stream not yet acknowledged by the durable consumer (pending + ack pending)', labelNames: ['consumer', 'stream'], registers });
    this.deadLetters = new Gauge({ name: 'olist_dead_letters', help: 'Dead letters not yet re-driven', labelNames: ['consumer'], registers });
    this.handleSeconds = new Histogram({
      name: 'olist_consumer_batch_seconds',
      help: 'Time to apply one batch of messages in its transaction',
      labelNames: ['consumer'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }
}
