import { randomUUID } from 'node:crypto';
import type { EventEnvelope, NewEvent } from '@olist/messaging';

export const BENCH_SUBJECT = 'olist.sales.bench-order-placed.v1';
export const BENCH_TYPE = 'sales.bench-order-placed';

const PURCHASES_START = Date.UTC(2017, 0, 1);
const hex32 = (seed: string, i: number) => `${seed}${i.toString(16).padStart(24, '0')}`.slice(-32);

/** The payload of the i-th bench event: shaped like an Olist order (32-hex ids, money in cents). */
function payload(run: string, i: number) {
  return {
    orderId: hex32(run, i),
    customerId: hex32(run, i * 7 + 1),
    status: 'created',
    purchasedAt: new Date(PURCHASES_START + i * 61_000).toISOString(),
    itemCount: 1 + (i % 4),
    totalCents: 1_990 + ((i * 7_919) % 90_000),
    currency: 'BRL',
  };
}

/** The i-th event a bench writer appends to the outbox. */
export function benchEvent(run: string, i: number): NewEvent {
  const p = payload(run, i);
  return { type: BENCH_TYPE, version: 1, subject: BENCH_SUBJECT, aggregateId: p.orderId, occurredAt: p.purchasedAt, payload: p };
}

/**
 * The body the relay would publish for the i-th event: the envelope `Outbox.append` stores, as
 * JSON text (the outbox keeps it verbatim), so the baseline publishes messages of the same size.
 */
export function benchEnvelope(run: string, i: number): EventEnvelope {
  const p = payload(run, i);
  return {
    id: randomUUID(),
    type: BENCH_TYPE,
    version: 1,
    occurredAt: p.purchasedAt,
    recordedAt: new Date().toISOString(),
    aggregateId: p.orderId,
    correlationId: randomUUID(),
    causationId: null,
    payload: p,
  };
}
