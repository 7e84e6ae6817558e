import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventContract, JsonSchema } from '@olist/messaging/contracts';
import type { ContractLib } from './registry';
import { compareWithSnapshot, incompatibleMessage, readSnapshot, serializeSnapshot, snapshotOf, updateSnapshots } from './snapshots';

const SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'items'],
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: ['created', 'delivered'] },
    items: { type: 'array', items: { type: 'object', required: ['price'], properties: { price: { type: 'string', pattern: '^\\d+\\.\\d{2}$' } } } },
  },
};

const PLACED: EventContract = {
  context: 'sales',
  name: 'order-placed',
  type: 'sales.order-placed',
  version: 1,
  subject: 'olist.sales.order-placed.v1',
  compatibility: 'BACKWARD',
  description: 'test',
  schema: SCHEMA,
  example: { orderId: 'o1', items: [] },
};

function withSchema(edit: (schema: any) => void, overrides: Partial<EventContract> = {}): EventContract { // eslint-disable-line @typescript-eslint/no-explicit-any
  const schema = structuredClone(SCHEMA);
  edit(schema);
  return { ...PLACED, ...overrides, schema };
}

describe('schema snapshots', () => {
  let root: string;
  const lib = (...contracts: EventContract[]): ContractLib[] => [{ context: 'sales', dir: 'libs/sales/contracts', contracts }];
  const FILE = 'libs/sales/contracts/schemas/order-placed.v1.json';

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'olist-contracts-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the snapshot of a version that has none, then leaves it alone', () => {
    expect(updateSnapshots(root, lib(PLACED)).created).toEqual([FILE]);
    expect(readSnapshot(root, FILE)).toEqual({ type: 'sales.order-placed', version: 1, compatibility: 'BACKWARD', schema: SCHEMA });
    expect(updateSnapshots(root, lib(PLACED))).toEqual({ created: [], rewritten: [], unchanged: [FILE], refused: [], orphans: [] });
  });

  it('rewrites a snapshot when the change is compatible under the declared mode', () => {
    updateSnapshots(root, lib(PLACED));
    const next = withSchema((s) => s.properties.status.enum.push('shipped'));
    expect(compareWithSnapshot(next, readSnapshot(root, FILE))).toEqual({ status: 'compatible', modes: ['BACKWARD'] });
    expect(updateSnapshots(root, lib(next)).rewritten).toEqual([FILE]);
    expect(readSnapshot(root, FILE)?.schema).toEqual(next.schema);
  });

  it('refuses an incompatible change, naming the contract, the mode and the field, and keeps the snapshot', () => {
    updateSnapshots(root, lib(PLACED));
    const before = fs.readFileSync(path.join(root, FILE), 'utf8');
    const next = withSchema((s) => (s.properties.items.items.properties.price.pattern = '^\\d+$'));
    const update = updateSnapshots(root, lib(next));
    expect(update.refused).toHaveLength(1);
    expect(update.refused[0]).toContain('sales.order-placed v1: the schema is not BACKWARD compatible with its snapshot ' + FILE);
    expect(update.refused[0]).toContain('  - items[].price: pattern changed from ^\\d+\\.\\d{2}$ to ^\\d+$');
    expect(update.refused[0]).toContain('bump the version — add order-placed.v2.ts with upcastFrom (v1 → v2)');
    expect(fs.readFileSync(path.join(root, FILE), 'utf8')).toBe(before);
  });

  it('judges a change under the mode of the snapshot too, so a mode cannot be loosened along with a break', () => {
    updateSnapshots(root, lib(PLACED));
    const next = withSchema((s) => s.required.push('status'), { compatibility: 'NONE' });
    const comparison = compareWithSnapshot(next, readSnapshot(root, FILE));
    expect(comparison).toMatchObject({ status: 'incompatible', modes: ['BACKWARD', 'NONE'] });
    if (comparison.status !== 'incompatible') return;
    expect(incompatibleMessage(next, FILE, comparison)).toContain('  - status: became required (old data may lack it) [BACKWARD]');
  });

  it('treats a changed mode alone as a compatible change', () => {
    updateSnapshots(root, lib(PLACED));
    const comparison = compareWithSnapshot({ ...PLACED, compatibility: 'FULL' }, readSnapshot(root, FILE));
    expect(comparison).toEqual({ status: 'compatible', modes: ['BACKWARD', 'FULL'] });
  });

  it('reports snapshots whose contract version is gone', () => {
    updateSnapshots(root, lib(PLACED));
    expect(updateSnapshots(root, lib()).orphans).toEqual([FILE]);
  });

  it('names a raw-feed snapshot by its full type', () => {
    const feed: EventContract = { ...PLACED, context: 'import', name: 'orders', type: 'import.orders', subject: 'olist.import.orders.v1' };
    const update = updateSnapshots(root, [{ context: 'quality', dir: 'libs/quality/contracts', contracts: [feed] }]);
    expect(update.created).toEqual(['libs/quality/contracts/schemas/import.orders.v1.json']);
  });

  it('rejects a file that is not a snapshot', () => {
    fs.mkdirSync(path.dirname(path.join(root, FILE)), { recursive: true });
    fs.writeFileSync(path.join(root, FILE), serializeSnapshot({ ...snapshotOf(PLACED), compatibility: 'SOMETIMES' as never }));
    expect(() => readSnapshot(root, FILE)).toThrow(`${FILE} is not a contract snapshot`);
  });
});
