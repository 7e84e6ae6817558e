import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { messagingMigrations, Outbox, PgTransactor, SqlTx } from '@olist/messaging';

export const FIXTURE_SCHEMA = 'msgtest';

/** The messaging tables plus an `effects` table whose rows are a handler's side effects. */
export async function createMessagingFixture(databaseUrl: string, schema = FIXTURE_SCHEMA): Promise<Pool> {
  const pool = new Pool({ connectionString: databaseUrl, max: 8 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
  for (const Migration of messagingMigrations(schema)) await new Migration().up(runner);
  await pool.query(`CREATE TABLE "${schema}".effects (
    n bigserial PRIMARY KEY, event_id text NOT NULL, instance text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  return pool;
}

/** A handler side effect: one row per applied message. */
export async function recordEffects(tx: SqlTx, schema: string, eventIds: readonly string[], instance: string): Promise<void> {
  await tx.query(`INSERT INTO "${schema}".effects (event_id, instance) SELECT unnest($1::text[]), $2`, [eventIds, instance]);
}

/** Writes `count` test events (subject olist.sales.test-event.v1) in transactions of `chunk`. */
export async function writeTestEvents(pool: Pool, count: number, options: { schema?: string; chunk?: number; payload?: (i: number) => unknown } = {}): Promise<void> {
  const outbox = new Outbox(options.schema ?? FIXTURE_SCHEMA);
  const transactor = new PgTransactor(pool);
  const chunk = options.chunk ?? 1_000;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    await transactor.transaction((tx) =>
      outbox.append(
        tx,
        Array.from({ length: n }, (_, k) => ({
          type: 'sales.test-event',
          version: 1,
          subject: 'olist.sales.test-event.v1',
          aggregateId: `agg-${(start + k) % 97}`,
          occurredAt: new Date(Date.UTC(2018, 0, 1, 0, 0, start + k)),
          payload: options.payload?.(start + k) ?? { i: start + k },
        })),
      ),
    );
  }
}
