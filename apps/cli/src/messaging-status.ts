import type { JetStreamManager } from '@nats-io/jetstream';
import type { Client } from 'pg';
import { STREAM_CONTEXTS, Topology } from '@olist/messaging';
import { SERVICES } from '@olist/service-kit';
import { existingSchemas } from './platform-clients';

export interface ConsumerStatus {
  readonly stream: string;
  readonly consumer: string;
  /** Messages not yet delivered plus delivered but not yet acknowledged. */
  readonly pending: number;
}

export interface MessagingStatus {
  readonly streams: { name: string; messages: number }[];
  readonly consumers: ConsumerStatus[];
  readonly outboxBacklog: Record<string, number>;
  readonly deadLetters: number;
  readonly caughtUp: boolean;
}

/** Streams, durable consumers and their lag, outbox backlogs and open dead letters. */
export async function messagingStatus(jsm: JetStreamManager, db: Client, topology: Topology): Promise<MessagingStatus> {
  const streams: MessagingStatus['streams'] = [];
  const consumers: ConsumerStatus[] = [];
  for (const context of STREAM_CONTEXTS) {
    const name = topology.stream(context);
    const info = await jsm.streams.info(name).catch(() => undefined);
    if (!info) continue;
    streams.push({ name, messages: info.state.messages });
    for await (const c of jsm.consumers.list(name)) {
      if (!c.config.durable_name) continue; // taps and other ephemeral readers
      consumers.push({ stream: name, consumer: c.name, pending: c.num_pending + c.num_ack_pending });
    }
  }
  const schemas = SERVICES.map((s) => s.schemas[0] as string);
  const present = await existingSchemas(db, schemas);
  const outboxBacklog: Record<string, number> = {};
  let deadLetters = 0;
  for (const service of SERVICES) {
    const schema = service.schemas[0] as string;
    if (!present.has(schema)) continue;
    const { rows } = await db.query<{ backlog: number; dead: number }>(
      `SELECT (SELECT count(*)::int FROM "${schema}".outbox WHERE published_at IS NULL) AS backlog,
              (SELECT count(*)::int FROM "${schema}".dead_letter WHERE redriven_at IS NULL) AS dead`,
    );
    outboxBacklog[service.name] = rows[0]?.backlog ?? 0;
    deadLetters += rows[0]?.dead ?? 0;
  }
  const caughtUp = consumers.every((c) => c.pending === 0) && Object.values(outboxBacklog).every((n) => n === 0);
  return { streams, consumers, outboxBacklog, deadLetters, caughtUp };
}
