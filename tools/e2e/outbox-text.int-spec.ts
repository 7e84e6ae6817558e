import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { messagingOutboxTextMigration } from '@olist/messaging';
import { createMessagingFixture, createTestDatabase, TestDatabase, writeTestEvents } from '@olist/testing';

jest.setTimeout(60_000);

const schema = 'outboxtext';

/**
 * The outbox's envelopes as `text` (messagingOutboxTextMigration) against the real Postgres:
 * bodies stored byte for byte as written, `outbox_events` still one parsed row per event, and the
 * migration's down and up again keep every body.
 */
describe('outbox envelopes as text', () => {
  let db: TestDatabase;
  let pool: Pool;
  const runner = () => ({ query: (sql: string) => pool.query(sql) }) as unknown as QueryRunner;

  beforeAll(async () => {
    db = await createTestDatabase('outbox_text');
    pool = await createMessagingFixture(db.url, schema);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const columnType = async () =>
    (
      await pool.query<{ type: string }>(
        `SELECT data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'outbox' AND column_name = 'envelope'`,
        [schema],
      )
    ).rows[0]?.type;
  const bodies = async () => (await pool.query<{ body: string }>(`SELECT envelope::text AS body FROM "${schema}".outbox ORDER BY position`)).rows.map((r) => r.body);
  const events = async () =>
    (await pool.query<{ id: string; type: string; i: number }>(`SELECT id, type, (envelope -> 'payload' ->> 'i')::int AS i FROM "${schema}".outbox_events ORDER BY position, seq`)).rows;

  it('stores the bodies verbatim and the view still takes batch rows apart', async () => {
    expect(await columnType()).toBe('text');
    await writeTestEvents(pool, 1_200, { schema, chunk: 600, payload: (i) => ({ i, text: `é "quoted" \\ ${i}` }) });
    const stored = await bodies();
    expect(stored.length).toBeGreaterThanOrEqual(3);
    const parsed = stored.flatMap((b) => JSON.parse(b) as { id: string; payload: { i: number; text: string } }[]);
    expect(parsed.map((e) => e.payload.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 1_200 }, (_, i) => i));
    expect(parsed.every((e) => e.payload.text === `é "quoted" \\ ${e.payload.i}`)).toBe(true);
    const view = await events();
    expect(view).toHaveLength(1_200);
    expect(view.map((e) => e.id)).toEqual(parsed.map((e) => e.id));
    expect(new Set(view.map((e) => e.i)).size).toBe(1_200);
    expect(view.every((e) => e.type === 'sales.test-event')).toBe(true);
  });

  it('shows a single-envelope row (an object, as the raw feed writes) as one event', async () => {
    const id = '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f';
    await pool.query(
      `INSERT INTO "${schema}".outbox (id, subject, type, version, aggregate_id, correlation_id, envelope)
       SELECT $1::uuid, 'olist.import.sellers.v1', 'import.sellers', 1, 'load:sellers', 'load',
              json_build_object('id', $1::text, 'type', 'import.sellers', 'version', 1, 'aggregateId', 'load:sellers', 'payload', json_build_object('i', -1))`,
      [id],
    );
    const single = (await pool.query<{ seq: string; type: string; i: number }>(`SELECT seq, type, (envelope -> 'payload' ->> 'i')::int AS i FROM "${schema}".outbox_events WHERE id = $1`, [id])).rows;
    expect(single).toEqual([{ seq: '1', type: 'import.sellers', i: -1 }]);
  });

  it('goes back to json and forth to text again without changing a body', async () => {
    const before = await bodies();
    const view = await events();
    const Migration = messagingOutboxTextMigration(schema);
    await new Migration().down(runner());
    expect(await columnType()).toBe('json');
    expect(await bodies()).toEqual(before);
    expect(await events()).toEqual(view);
    await new Migration().up(runner());
    expect(await columnType()).toBe('text');
    expect(await bodies()).toEqual(before);
    expect(await events()).toEqual(view);
  });
});
