import fc from 'fast-check';
import type { EventEnvelope } from '../envelope';
import { AGGREGATES_PER_RUN, batchRows, MAX_EVENTS_PER_MESSAGE, type NewEvent } from './outbox';

interface Row {
  subject: string;
  type: string;
  events: number;
  aggregate_id: string | null;
  envelope: EventEnvelope[];
}

function rowsFor(pairs: readonly { aggregate: string; subject: string; size?: number }[]): { rows: Row[]; envelopes: EventEnvelope[] } {
  const events: NewEvent[] = pairs.map((p) => ({
    type: p.subject.split('.').slice(1, 3).join('.'),
    version: 1,
    subject: p.subject,
    aggregateId: p.aggregate,
    occurredAt: '2018-01-01T00:00:00Z',
    payload: { pad: 'x'.repeat(p.size ?? 0) },
  }));
  const envelopes: EventEnvelope[] = events.map((e, i) => ({
    id: `e${i}`,
    type: e.type,
    version: 1,
    occurredAt: '2018-01-01T00:00:00Z',
    recordedAt: '2018-01-01T00:00:00Z',
    aggregateId: e.aggregateId,
    correlationId: 'c',
    causationId: null,
    payload: e.payload,
  }));
  return { rows: batchRows(events, envelopes).map((r) => ({ ...r, envelope: JSON.parse(r.envelope) }) as Row), envelopes };
}

describe('outbox batch rows', () => {
  it('keeps each aggregate’s events in order, carries every event once, one subject per row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ aggregate: fc.constantFrom('a', 'b', 'c', 'd'), subject: fc.constantFrom('olist.sales.x.v1', 'olist.sales.y.v1', 'olist.sales.z.v1') }), {
          minLength: 1,
          maxLength: 60,
        }),
        (pairs) => {
          const { rows, envelopes } = rowsFor(pairs);
          const flat = rows.flatMap((r) => r.envelope);
          expect(flat.map((e) => e.id).sort()).toEqual(envelopes.map((e) => e.id).sort());
          for (const aggregate of ['a', 'b', 'c', 'd']) {
            const sent = envelopes.filter((e) => e.aggregateId === aggregate).map((e) => e.id);
            expect(flat.filter((e) => e.aggregateId === aggregate).map((e) => e.id)).toEqual(sent);
          }
          for (const row of rows) {
            expect(row.events).toBe(row.envelope.length);
            expect(new Set(row.envelope.map((e) => e.type))).toEqual(new Set([row.type]));
            expect(row.subject.includes(row.type.split('.')[1] as string)).toBe(true);
            expect(row.aggregate_id).toBe(row.events === 1 ? (row.envelope[0] as EventEnvelope).aggregateId : null);
          }
        },
      ),
    );
  });

  it('puts many events of one subject into as few rows as the limits allow', () => {
    const { rows } = rowsFor(Array.from({ length: 1_200 }, (_, i) => ({ aggregate: `o${i}`, subject: 'olist.sales.order-placed.v1' })));
    expect(rows.map((r) => r.events)).toEqual([MAX_EVENTS_PER_MESSAGE, MAX_EVENTS_PER_MESSAGE, 1_200 - 2 * MAX_EVENTS_PER_MESSAGE]);
  });

  it('writes the events of a run of aggregates before those of the next, so an aggregate\'s events sit in consecutive rows', () => {
    const subjects = ['olist.sales.order-placed.v1', 'olist.sales.order-approved.v1', 'olist.sales.payment-received.v1'];
    const orders = Array.from({ length: 2 * AGGREGATES_PER_RUN + 100 }, (_, i) => `o${i}`);
    const { rows } = rowsFor(subjects.flatMap((subject) => orders.map((aggregate) => ({ aggregate, subject }))));
    expect(rows.map((r) => `${r.type}:${r.events}`)).toEqual(
      [AGGREGATES_PER_RUN, AGGREGATES_PER_RUN, 100].flatMap((n) => ['sales.order-placed', 'sales.order-approved', 'sales.payment-received'].map((t) => `${t}:${n}`)),
    );
    for (const order of ['o0', `o${AGGREGATES_PER_RUN - 1}`, `o${AGGREGATES_PER_RUN}`, `o${orders.length - 1}`]) {
      const at = rows.flatMap((r, i) => (r.envelope.some((e) => e.aggregateId === order) ? [i] : []));
      expect(at).toHaveLength(3);
      expect((at.at(-1) as number) - (at[0] as number)).toBe(2);
    }
  });

  it('closes a row before its body passes 256 KiB, and gives an oversized event a row of its own', () => {
    const { rows } = rowsFor([
      ...Array.from({ length: 5 }, (_, i) => ({ aggregate: `o${i}`, subject: 'olist.sales.order-placed.v1', size: 100_000 })),
      { aggregate: 'big', subject: 'olist.sales.order-placed.v1', size: 400_000 },
    ]);
    expect(rows.map((r) => r.events)).toEqual([2, 2, 1, 1]);
    for (const row of rows.slice(0, 3)) expect(JSON.stringify(row.envelope).length).toBeLessThan(256 * 1024);
  });
});
