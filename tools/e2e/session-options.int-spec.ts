import { Client } from 'pg';
import { PG_SESSION_OPTIONS } from '@olist/service-kit';
import { createTestDatabase, type TestDatabase } from '@olist/testing';

// The services' pools and `olist load` connect with PG_SESSION_OPTIONS: the server must apply
// them to the session, and a sort the size of a batch statement's must then stay in memory.
describe('PG_SESSION_OPTIONS against Postgres', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase('session_options');
    client = new Client({ connectionString: db.url, options: PG_SESSION_OPTIONS });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('turns JIT off and gives sorts 32 MB', async () => {
    const { rows } = await client.query(`SELECT current_setting('jit') AS jit, current_setting('work_mem') AS work_mem`);
    expect(rows[0]).toEqual({ jit: 'off', work_mem: '32MB' });
  });

  it('sorts 100,000 distinct ids (about 10 MB) in memory', async () => {
    const { rows } = await client.query<{ 'QUERY PLAN': { Plan: Record<string, unknown> }[] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON)
       SELECT DISTINCT md5(g::text) || md5((g * 7)::text) AS id FROM generate_series(1, 100000) g ORDER BY 1`,
    );
    const sorts: Record<string, unknown>[] = [];
    const walk = (plan: Record<string, unknown>) => {
      if (plan['Node Type'] === 'Sort') sorts.push(plan);
      for (const child of (plan['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(rows[0]?.['QUERY PLAN'][0]?.Plan ?? {});
    expect(sorts.length).toBeGreaterThan(0);
    for (const sort of sorts) expect(sort['Sort Space Type']).toBe('Memory');
  });
});
