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
  /** The warehouse's marts: built from every event it has applied, or still to be rebuilt. */
  readonly marts?: { appliedEvents: number; builtFrom: number; fresh: boolean };
  /** The customer context's segments: inputs changed since the last recomputation (its events are still to come). */
  readonly segments?: { toRecompute: boolean };
  readonly caughtUp: boolean;
}

/**
 * Streams, durable consumers and their lag, outbox backlogs, open dead letters, the freshness of
 * the warehouse's marts and whether the customer segments await a recomputation. Caught up: none
 * of these has work left.
 */
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
      `SELECT (SELECT coalesce(sum(events), 0)::int FROM "${schema}".outbox WHERE published_at IS NULL) AS backlog,
              (SELECT count(*)::int FROM "${schema}".dead_letter WHERE redriven_at IS NULL) AS dead`,
    );
    outboxBacklog[service.name] = rows[0]?.backlog ?? 0;
    deadLetters += rows[0]?.dead ?? 0;
  }
  let marts: MessagingStatus['marts'];
  if (present.has('core')) {
    const { rows } = await db.query<{ applied: string; built_from: string; built: boolean }>(
      `SELECT (SELECT coalesce(sum(applied_events), 0) FROM core.projection_state) AS applied, built_from, built_at IS NOT NULL AS built
         FROM core.mart_build WHERE id = 1`,
    ).catch(() => ({ rows: [] }));
    const row = rows[0];
    if (row) marts = { appliedEvents: Number(row.applied), builtFrom: Number(row.built_from), fresh: row.built && Number(row.applied) === Number(row.built_from) };
  }
  let segments: MessagingStatus['segments'];
  if (present.has('customer')) {
    const { rows } = await db
      .query<{ dirty: boolean }>(`SELECT generation > computed_generation AS dirty FROM customer.segment_work`)
      .catch(() => ({ rows: [] as { dirty: boolean }[] }));
    segments = { toRecompute: rows[0]?.dirty ?? false };
  }
  const caughtUp =
    consumers.every((c) => c.pending === 0) &&
    Object.values(outboxBacklog).every((n) => n === 0) &&
    (marts === undefined || marts.fresh) &&
    !segments?.toRecompute;
  return { streams, consumers, outboxBacklog, deadLetters, ...(marts ? { marts } : {}), ...(segments ? { segments } : {}), caughtUp };
}
