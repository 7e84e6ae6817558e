import fc from 'fast-check';
import { ContractRegistry } from './contract-registry';
import type { EventContract, JsonSchema } from './event-contract';
import { validateAgainstSchema } from './schema-validator';

function contract(version: number, schema: JsonSchema, upcastFrom?: (previous: unknown) => unknown): EventContract {
  return {
    context: 'sales',
    name: 'order-placed',
    type: 'sales.order-placed',
    version,
    subject: `olist.sales.order-placed.v${version}`,
    compatibility: 'BACKWARD',
    description: `order placed v${version}`,
    schema,
    example: {},
    upcastFrom,
  };
}

const V1 = contract(1, { type: 'object', required: ['total'], properties: { total: { type: 'number' } } });
const V2 = contract(2, { type: 'object', required: ['total'], properties: { total: { type: 'string', pattern: '^\\d+\\.\\d{2}$' } } }, (p) => {
  const { total } = p as { total: number };
  return { total: total.toFixed(2) };
});
const V3 = contract(
  3,
  { type: 'object', required: ['total', 'currency'], properties: { total: { type: 'string' }, currency: { const: 'BRL' } } },
  (p) => ({ ...(p as object), currency: 'BRL' }),
);
const APPROVED: EventContract = { ...V1, name: 'order-approved', type: 'sales.order-approved', subject: 'olist.sales.order-approved.v1' };

describe('ContractRegistry', () => {
  const registry = new ContractRegistry([V3, V1], [V2, APPROVED]);

  it('finds contracts by type and version, and the latest version of a type', () => {
    expect(registry.get('sales.order-placed', 2)).toBe(V2);
    expect(registry.latest('sales.order-placed')).toBe(V3);
    expect(registry.latest('sales.order-approved')).toBe(APPROVED);
    expect(registry.find('sales.order-placed', 9)).toBeUndefined();
    expect(registry.forSubject('olist.sales.order-placed.v1')).toBe(V1);
  });

  it('lists every contract ordered by type and version', () => {
    expect(registry.all()).toEqual([APPROVED, V1, V2, V3]);
  });

  it('says what it knows when a contract is unknown', () => {
    expect(() => registry.get('sales.order-placed', 4)).toThrow('Unknown event contract sales.order-placed v4 (known versions: v1, v2, v3)');
    expect(() => registry.get('sales.nothing', 1)).toThrow('Unknown event contract sales.nothing v1 (no version of sales.nothing is registered)');
    expect(() => registry.latest('sales.nothing')).toThrow('Unknown event type sales.nothing: no version is registered');
  });

  it('upcasts through every version up to the latest', () => {
    expect(registry.upcast('sales.order-placed', 1, { total: 38.71 })).toEqual({ version: 3, payload: { total: '38.71', currency: 'BRL' } });
    expect(registry.upcast('sales.order-placed', 2, { total: '1.00' })).toEqual({ version: 3, payload: { total: '1.00', currency: 'BRL' } });
  });

  it('returns a latest-version payload unchanged', () => {
    const payload = { total: '1.00', currency: 'BRL' };
    expect(registry.upcast('sales.order-placed', 3, payload)).toEqual({ version: 3, payload });
  });

  it('fails clearly when a step of the chain is missing', () => {
    expect(() => new ContractRegistry([V1, V3]).upcast('sales.order-placed', 1, {})).toThrow(
      'Cannot upcast sales.order-placed from v1 to v3: v2 is not registered',
    );
    const noUpcaster = { ...V2, upcastFrom: undefined };
    expect(() => new ContractRegistry([V1, noUpcaster, V3]).upcast('sales.order-placed', 1, {})).toThrow(
      'Cannot upcast sales.order-placed from v1 to v3: v2 has no upcastFrom (from v1)',
    );
  });

  it('refuses a payload newer than the latest known version', () => {
    expect(() => registry.upcast('sales.order-placed', 4, {})).toThrow(
      'Cannot read sales.order-placed v4: the latest known version is v3; upgrade the contracts library',
    );
  });

  it('validates a payload against the schema of its version', () => {
    expect(registry.validate('sales.order-placed', 1, { total: 38.71 })).toEqual([]);
    expect(registry.validate('sales.order-placed', 2, { total: 38.71 })).toEqual(['$.total: must be string (got number)']);
    expect(registry.validate('sales.order-placed', 3, { total: '1.00' })).toEqual(['$.currency: is required']);
  });

  it('tells valid from invalid exactly as the explaining validator does, however the payload is broken (property)', () => {
    const schema: JsonSchema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      required: ['orderId', 'placedAt', 'status', 'items'],
      properties: {
        orderId: { type: 'string', minLength: 1, maxLength: 8 },
        placedAt: { type: 'string', format: 'date-time' },
        status: { enum: ['created', 'delivered'] },
        distanceKm: { type: ['number', 'null'], minimum: 0 },
        items: {
          type: 'array',
          minItems: 1,
          maxItems: 3,
          items: { type: 'object', required: ['price'], properties: { price: { type: 'string', pattern: '^\\d+\\.\\d{2}$' }, seq: { type: 'integer', minimum: 1 } } },
        },
      },
    };
    const shaped = new ContractRegistry([contract(1, schema)]);
    const anything = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const payload = fc.record(
      {
        orderId: fc.oneof(fc.string({ maxLength: 10 }), anything),
        placedAt: fc.oneof(fc.constantFrom('2017-10-02T10:56:33Z', '2017-10-02T10:56:33.5+03:00', '2017-10-02 10:56:33', '2017-13-02T10:56:33Z'), anything),
        status: fc.oneof(fc.constantFrom('created', 'delivered', 'lost'), anything),
        distanceKm: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(null), anything),
        items: fc.oneof(fc.array(fc.record({ price: fc.oneof(fc.constantFrom('1.00', '12.5', '0.99'), anything), seq: fc.oneof(fc.integer({ min: -1, max: 3 }), anything) }, { requiredKeys: [] }), { maxLength: 4 }), anything),
        extra: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(payload, (p) => {
        expect(shaped.validate('sales.order-placed', 1, p).length === 0).toBe(validateAgainstSchema(schema, p).length === 0);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a version registered twice, a shared subject and a bad version number', () => {
    expect(() => new ContractRegistry([V1], [V1])).toThrow('Contract sales.order-placed v1 is registered twice');
    expect(() => new ContractRegistry([V1, { ...APPROVED, subject: V1.subject }])).toThrow(
      'Subject olist.sales.order-placed.v1 is used by both sales.order-placed v1 and sales.order-approved v1',
    );
    expect(() => new ContractRegistry([{ ...V1, version: 0 }])).toThrow('invalid version 0');
  });
});
