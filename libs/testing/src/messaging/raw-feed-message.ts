import { inboundMessage, type InboundMessage } from '@olist/messaging';
import type { PiiCipher } from '@olist/pii';

export interface RawFeedMessageSpec {
  readonly loadId: string;
  /** Feed name, e.g. `orders`. */
  readonly file: string;
  /** CSV file name, e.g. `olist_orders_dataset.csv`. */
  readonly fileName: string;
  /** Unprefixed subject, e.g. `olist.import.orders.v1`. */
  readonly subject: string;
  readonly batch: number;
  readonly rows: readonly Record<string, string | null>[];
  /** CSV line of the first row (the header is line 1). */
  readonly firstLine?: number;
  readonly streamSequence: number;
  /** Seal these columns with this cipher, as the quality service's relay does for the personal columns. */
  readonly sealed?: { readonly cipher: PiiCipher; readonly columns: readonly string[] };
}

function sealRow(values: Record<string, string | null>, sealed: RawFeedMessageSpec['sealed']): Record<string, string | null> {
  if (!sealed) return values;
  const out = { ...values };
  for (const column of sealed.columns) out[column] = sealed.cipher.sealNullable(values[column] ?? null, column);
  return out;
}

/** A raw-feed batch as a context's consumer receives it, for handler tests without NATS. */
export function rawFeedMessage(spec: RawFeedMessageSpec): InboundMessage {
  const firstLine = spec.firstLine ?? 2;
  const envelope = {
    id: `${spec.loadId}:${spec.file}:${spec.batch}`,
    type: `import.${spec.file}`,
    version: 1,
    occurredAt: '2024-05-01T08:00:00Z',
    recordedAt: '2024-05-01T08:00:00Z',
    aggregateId: `${spec.loadId}:${spec.file}`,
    correlationId: spec.loadId,
    causationId: null,
    payload: {
      loadId: spec.loadId,
      file: spec.fileName,
      batch: spec.batch,
      rows: spec.rows.map((values, i) => ({ line: firstLine + i, values: sealRow(values, spec.sealed) })),
    },
  };
  return inboundMessage({
    eventId: envelope.id,
    subject: spec.subject,
    stream: 'OLIST_IMPORT',
    streamSequence: spec.streamSequence,
    deliveryCount: 1,
    headers: {},
    data: new TextEncoder().encode(JSON.stringify(envelope)),
  });
}
