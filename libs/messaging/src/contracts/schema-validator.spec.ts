import type { JsonSchema } from './event-contract';
import { validateAgainstSchema } from './schema-validator';

const MONEY = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$' } as const;

const ORDER: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'order',
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'status', 'purchasedAt', 'approvedAt', 'items'],
  properties: {
    orderId: { type: 'string', minLength: 1 },
    status: { type: 'string', enum: ['created', 'delivered'] },
    kind: { const: 'order' },
    purchasedAt: { type: 'string', format: 'date-time' },
    approvedAt: { type: ['string', 'null'], format: 'date-time' },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['seq', 'price'],
        properties: {
          seq: { type: 'integer', minimum: 1, maximum: 99 },
          price: MONEY,
          weight: { type: 'number' },
        },
      },
    },
    tags: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
  },
};

const valid = {
  orderId: 'o1',
  status: 'created',
  purchasedAt: '2017-10-02T10:56:33Z',
  approvedAt: null,
  items: [{ seq: 1, price: '29.99', weight: 0.5 }],
};

const problemsOf = (patch: Record<string, unknown>) => validateAgainstSchema(ORDER, { ...valid, ...patch });

describe('validateAgainstSchema', () => {
  it('accepts a valid value', () => {
    expect(validateAgainstSchema(ORDER, valid)).toEqual([]);
    expect(problemsOf({ approvedAt: '2017-10-02T11:07:15.123-03:00', kind: 'order', tags: { a: 'xyz' } })).toEqual([]);
  });

  it.each([
    ['a wrong type', { orderId: 7 }, '$.orderId: must be string (got integer)'],
    ['null where only a string is allowed', { purchasedAt: null }, '$.purchasedAt: must be string (got null)'],
    ['a type outside a type list', { approvedAt: 5 }, '$.approvedAt: must be string or null (got integer)'],
    ['a value outside the enum', { status: 'lost' }, '$.status: must be one of "created", "delivered"'],
    ['a const mismatch', { kind: 'invoice' }, '$.kind: must equal "order"'],
    ['a too short string', { orderId: '' }, '$.orderId: must be at least 1 characters long'],
    ['an empty array below minItems', { items: [] }, '$.items: must have at least 1 item'],
    ['an array above maxItems', { items: [1, 2, 3, 4].map((seq) => ({ seq, price: '1.00' })) }, '$.items: must have at most 3 items'],
    ['money without two decimals', { items: [{ seq: 1, price: '29.9' }] }, '$.items[0].price: must match pattern ^-?\\d+\\.\\d{2}$'],
    ['a float where an integer is required', { items: [{ seq: 1.5, price: '1.00' }] }, '$.items[0].seq: must be integer (got number)'],
    ['a number below minimum', { items: [{ seq: 0, price: '1.00' }] }, '$.items[0].seq: must be >= 1'],
    ['a number above maximum', { items: [{ seq: 100, price: '1.00' }] }, '$.items[0].seq: must be <= 99'],
    ['a missing nested property', { items: [{ seq: 1 }] }, '$.items[0].price: is required'],
    ['an undeclared nested property', { items: [{ seq: 1, price: '1.00', colour: 'red' }] }, '$.items[0].colour: is not allowed'],
    ['an undeclared top-level property', { 'total amount': '1.00' }, '$["total amount"]: is not allowed'],
    ['a property breaking additionalProperties', { tags: { a: 'long' } }, '$.tags.a: must be at most 3 characters long'],
    ['NaN as a number', { items: [{ seq: 1, price: '1.00', weight: Number.NaN }] }, '$.items[0].weight: must be number (got NaN)'],
  ])('reports %s with its JSON path', (_case, patch, problem) => {
    expect(problemsOf(patch)).toEqual([problem]);
  });

  it('reports a missing required property at its path', () => {
    const { orderId: _omitted, ...withoutId } = valid;
    expect(validateAgainstSchema(ORDER, withoutId)).toEqual(['$.orderId: is required']);
  });

  it('reports every problem, not only the first', () => {
    expect(problemsOf({ orderId: '', status: 'lost', items: [{ seq: 0, price: 'x' }] })).toEqual([
      '$.orderId: must be at least 1 characters long',
      '$.status: must be one of "created", "delivered"',
      '$.items[0].seq: must be >= 1',
      '$.items[0].price: must match pattern ^-?\\d+\\.\\d{2}$',
    ]);
  });

  it('rejects a non-object payload at the root', () => {
    expect(validateAgainstSchema(ORDER, [valid])).toEqual(['$: must be object (got array)']);
    expect(validateAgainstSchema(ORDER, null)).toEqual(['$: must be object (got null)']);
  });

  it.each([
    ['2017-10-02T10:56:33Z', true],
    ['2017-10-02T10:56:33.5+02:00', true],
    ['2016-02-29T00:00:00Z', true],
    ['2017-10-02 10:56:33', false],
    ['2017-10-02T10:56:33', false],
    ['2017-02-29T00:00:00Z', false],
    ['2017-13-01T00:00:00Z', false],
    ['2017-10-02T24:00:00Z', false],
    ['2017-10-02', false],
  ])('checks format date-time: %s → %s', (value, ok) => {
    const problems = validateAgainstSchema({ type: 'string', format: 'date-time' }, value);
    expect(problems.length === 0).toBe(ok);
    if (!ok) expect(problems[0]).toMatch(/^\$: must be an ISO-8601 date-time/);
  });

  it('counts string length in characters, not UTF-16 units', () => {
    expect(validateAgainstSchema({ type: 'string', maxLength: 2 }, 'ão')).toEqual([]);
    expect(validateAgainstSchema({ type: 'string', maxLength: 1 }, '😀')).toEqual([]);
  });

  it('throws on a keyword outside the supported subset instead of ignoring it', () => {
    const schema = { type: 'object', properties: { a: { oneOf: [{ type: 'string' }] } } } as unknown as JsonSchema;
    expect(() => validateAgainstSchema(schema, { a: 'x' })).toThrow('Unsupported JSON Schema keyword "oneOf" at $.a');
  });
});
