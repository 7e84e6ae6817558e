import { checkCompatibility } from './compatibility';
import type { CompatibilityMode, JsonSchema } from './event-contract';

const MONEY = '^-?\\d+\\.\\d{2}$';

const BASE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'status', 'items', 'meta'],
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: ['created', 'delivered'] },
    note: { type: 'string' },
    approvedAt: { type: 'string', format: 'date-time' },
    count: { type: 'integer', minimum: 0 },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['price'],
        properties: {
          price: { type: 'string', pattern: MONEY },
          weight: { type: ['number', 'null'] },
        },
      },
    },
    meta: {
      type: 'object',
      required: ['source'],
      properties: { source: { type: 'string' } },
    },
  },
};

type Draft = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
const change = (edit: (schema: Draft) => void): JsonSchema => {
  const copy = structuredClone(BASE) as Draft;
  edit(copy);
  return copy as JsonSchema;
};

/** [case, next schema, field that breaks BACKWARD (or null), field that breaks FORWARD (or null)] */
const CASES: [string, JsonSchema, string | null, string | null][] = [
  ['adding a required field to an open object', change((s) => { s.properties.meta.required.push('region'); s.properties.meta.properties.region = { type: 'string' }; }), 'meta.region', null],
  ['adding an optional field to a closed object', change((s) => { s.properties.channel = { type: 'string' }; }), null, 'channel'],
  ['adding a required field to a closed object', change((s) => { s.required.push('channel'); s.properties.channel = { type: 'string' }; }), 'channel', 'channel'],
  ['removing an optional field of a closed object', change((s) => { delete s.properties.note; }), 'note', null],
  ['removing a required field of a closed object', change((s) => { delete s.properties.orderId; s.required.shift(); }), 'orderId', 'orderId'],
  ['removing a required field of an open object', change((s) => { delete s.properties.meta.properties.source; s.properties.meta.required = []; }), null, 'meta.source'],
  ['making a required field optional', change((s) => { s.required = s.required.filter((f: string) => f !== 'status'); }), null, 'status'],
  ['making an optional field required', change((s) => { s.required.push('note'); }), 'note', null],
  ['removing an enum value', change((s) => { s.properties.status.enum = ['created']; }), 'status', null],
  ['adding an enum value', change((s) => { s.properties.status.enum.push('shipped'); }), null, 'status'],
  ['widening a type with null', change((s) => { s.properties.approvedAt.type = ['string', 'null']; }), null, 'approvedAt'],
  ['narrowing a nested type list', change((s) => { s.properties.items.items.properties.weight.type = 'number'; }), 'items[].weight', null],
  ['changing a type', change((s) => { s.properties.orderId.type = 'integer'; }), 'orderId', 'orderId'],
  ['widening integer to number', change((s) => { s.properties.count.type = 'number'; }), null, 'count'],
  ['changing a nested pattern', change((s) => { s.properties.items.items.properties.price.pattern = '^\\d+\\.\\d{2}$'; }), 'items[].price', 'items[].price'],
  ['adding a pattern', change((s) => { s.properties.note.pattern = '^[a-z]+$'; }), 'note', null],
  ['raising a minimum', change((s) => { s.properties.count.minimum = 1; }), 'count', null],
  ['dropping a minimum', change((s) => { delete s.properties.count.minimum; }), null, 'count'],
  ['dropping a format', change((s) => { delete s.properties.approvedAt.format; }), null, 'approvedAt'],
  ['adding a required field to array items', change((s) => { s.properties.items.items.required.push('currency'); s.properties.items.items.properties.currency = { type: 'string' }; }), 'items[].currency', 'items[].currency'],
  ['closing an open object', change((s) => { s.properties.meta.additionalProperties = false; }), 'meta', null],
  ['changing only descriptions', change((s) => { s.description = 'an order'; s.properties.orderId.description = 'the id'; }), null, null],
];

const MODES: CompatibilityMode[] = ['BACKWARD', 'FORWARD', 'FULL', 'NONE'];

function expectedField(mode: CompatibilityMode, backward: string | null, forward: string | null): string[] {
  const fields: (string | null)[] = { BACKWARD: [backward], FORWARD: [forward], FULL: [backward, forward], NONE: [] }[mode];
  return [...new Set(fields.filter((f): f is string => f !== null))].sort();
}

describe('checkCompatibility', () => {
  describe.each(MODES)('%s', (mode) => {
    it.each(CASES)('%s', (_case, next, backward, forward) => {
      const result = checkCompatibility(BASE, next, mode);
      const expected = expectedField(mode, backward, forward);
      expect([...new Set(result.problems.map((p) => p.field))].sort()).toEqual(expected);
      expect(result.compatible).toBe(expected.length === 0);
    });
  });

  it('accepts identical schemas in every mode', () => {
    for (const mode of MODES) expect(checkCompatibility(BASE, structuredClone(BASE), mode)).toEqual({ compatible: true, problems: [] });
  });

  it('explains each break from old to new', () => {
    const reasons = (next: JsonSchema, mode: CompatibilityMode) => checkCompatibility(BASE, next, mode).problems;
    expect(reasons(CASES[0][1], 'BACKWARD')).toEqual([{ field: 'meta.region', reason: 'new required field (old data lacks it)' }]);
    expect(reasons(change((s) => { s.properties.status.enum = ['created']; }), 'BACKWARD')).toEqual([
      { field: 'status', reason: 'enum value "delivered" removed (old data may hold it)' },
    ]);
    expect(reasons(change((s) => { s.properties.status.enum.push('shipped'); }), 'FORWARD')).toEqual([
      { field: 'status', reason: 'enum value "shipped" added (readers of the old schema reject it)' },
    ]);
    expect(reasons(change((s) => { s.properties.approvedAt.type = ['string', 'null']; }), 'FORWARD')).toEqual([
      { field: 'approvedAt', reason: 'type changed from "string" to ["string","null"]: readers of the old schema cannot read null' },
    ]);
    expect(reasons(change((s) => { s.properties.count.minimum = 1; }), 'BACKWARD')).toEqual([{ field: 'count', reason: 'minimum tightened from 0 to 1' }]);
    expect(reasons(change((s) => { s.properties.channel = { type: 'string' }; }), 'FORWARD')).toEqual([
      { field: 'channel', reason: 'added while the old schema has additionalProperties false (readers of the old schema reject it)' },
    ]);
  });

  it('reports a change breaking both directions once under FULL', () => {
    const next = change((s) => { s.properties.items.items.properties.price.pattern = '^\\d+$'; });
    expect(checkCompatibility(BASE, next, 'FULL').problems).toEqual([{ field: 'items[].price', reason: `pattern changed from ${MONEY} to ^\\d+$` }]);
  });

  it('compares additionalProperties schemas of records', () => {
    const record = (type: 'integer' | 'number'): JsonSchema => ({ type: 'object', properties: { files: { type: 'object', additionalProperties: { type } } } });
    expect(checkCompatibility(record('number'), record('integer'), 'BACKWARD').compatible).toBe(false);
    expect(checkCompatibility(record('number'), record('integer'), 'BACKWARD').problems[0].field).toBe('files.*');
    expect(checkCompatibility(record('integer'), record('number'), 'BACKWARD').compatible).toBe(true);
  });

  it('names the root when the payload itself changes type', () => {
    expect(checkCompatibility({ type: 'object' }, { type: 'array' }, 'BACKWARD').problems).toEqual([
      { field: '(root)', reason: 'type changed from "object" to "array": old data may be object' },
    ]);
  });

  it('throws on a keyword it cannot compare', () => {
    const next = { ...BASE, oneOf: [] } as unknown as JsonSchema;
    expect(() => checkCompatibility(BASE, next, 'BACKWARD')).toThrow('Unsupported JSON Schema keyword "oneOf" at (root)');
  });
});
