import { headers as natsHeaders } from '@nats-io/nats-core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { ensureStreams, HEADER, Topology } from '@olist/messaging';
import { BENCH_SUBJECT, BENCH_TYPE, benchEnvelope } from './bench-events';
import { wallClockMs } from './stats';

export interface BaselineResult {
  readonly messages: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  /** Mean body size in bytes. */
  readonly bodyBytes: number;
}

/**
 * What JetStream alone sustains here: `count` envelopes of the bench's size published to a stream
 * configured like the platform's, with `Nats-Msg-Id` and the headers the relay sets, through a
 * bounded window of publishes in flight (each lane awaits its PubAck before sending the next).
 */
export async function runBaseline(js: JetStreamClient, jsm: JetStreamManager, topology: Topology, run: string, count: number, window: number): Promise<BaselineResult> {
  await ensureStreams(jsm, topology, ['sales']);
  const subject = topology.subject(BENCH_SUBJECT);
  // Bodies are built before the clock starts: the relay, too, gets them ready-made from Postgres.
  const messages = Array.from({ length: count }, (_, i) => {
    const envelope = benchEnvelope(run, i);
    return { id: envelope.id, correlationId: envelope.correlationId, body: JSON.stringify(envelope) };
  });
  const bodyBytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.body), 0) / count;

  let next = 0;
  const lane = async () => {
    while (next < count) {
      const m = messages[next++] as (typeof messages)[number];
      const h = natsHeaders();
      h.set(HEADER.eventId, m.id);
      h.set(HEADER.eventType, BENCH_TYPE);
      h.set(HEADER.correlationId, m.correlationId);
      await js.publish(subject, m.body, { msgID: m.id, headers: h, timeout: 10_000 });
    }
  };
  const started = wallClockMs();
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  const elapsedMs = wallClockMs() - started;

  const stored = (await jsm.streams.info(topology.stream('sales'))).state.messages;
  if (stored !== count) throw new Error(`baseline: the stream holds ${stored} messages, ${count} were acknowledged`);
  return { messages: count, elapsedMs, perSecond: count / (elapsedMs / 1_000), bodyBytes };
}
