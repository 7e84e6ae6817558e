// Runs against the real Postgres at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/olist) and
// the real NATS at NATS_URL, on scratch databases that are dropped afterwards. Never starts, stops or
// restarts those servers: the unreachable cases use free loopback ports with start: false.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL, ensureInfra, ensureNats, ensurePostgres, provisionDatabase, serviceRoles } from './ensure';

jest.setTimeout(60_000);

const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL;
const rolePassword = process.env.OLIST_DB_ROLE_PASSWORD;

const scratchName = (tag: string) => `olist_infra_test_${tag}_${randomBytes(4).toString('hex')}`;

function urlFor(database: string, user?: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user;
    url.password = rolePassword ?? '';
  }
  return url.href;
}

async function connect(connectionString: string): Promise<Client> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}

async function withClient<T>(connectionString: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(connectionString);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await withClient(urlFor('postgres'), async (admin) => {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}"`);
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function pgErrorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  throw new Error('expected the statement to fail');
}

describe('ensureInfra (real Postgres and NATS)', () => {
  const database = scratchName('main');
  const databaseUrl = urlFor(database);
  const messages: string[] = [];
  const log = (message: string) => messages.push(message);

  afterAll(async () => {
    await dropDatabase(database);
  });

  it('creates the database and one login role per catalog service, and finds NATS with JetStream', async () => {
    const summary = await ensureInfra({ databaseUrl, natsUrl, log });

    expect(summary.postgres).toMatchObject({ database, started: false, installed: false, created: true });
    expect(summary.postgres.url).not.toMatch(/:[^:@/]*@/); // no password
    expect(summary.postgres.version).toMatch(/^\d+(\.\d+)?/);
    expect(summary.nats).toMatchObject({ jetstream: true, started: false, installed: false });
    expect(summary.nats.version).toMatch(/^\d+\.\d+/);

    const roles = serviceRoles();
    expect(roles).toContain('olist_sales');
    expect(roles).toContain('olist_customer');
    expect(summary.roles).toEqual(roles);

    await withClient(urlFor('postgres'), async (admin) => {
      const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      expect(db.rowCount).toBe(1);
      const found = await admin.query('SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname = ANY($1)', [roles]);
      expect(found.rows.map((r) => r.rolname).sort()).toEqual([...roles].sort());
      for (const role of roles) {
        const privileges = await admin.query(
          `SELECT has_database_privilege($1, $2, 'CONNECT') AS connect, has_database_privilege($1, $2, 'CREATE') AS create,
                  has_database_privilege($1, $2, 'TEMPORARY') AS temp`,
          [role, database],
        );
        expect(privileges.rows[0]).toEqual({ connect: true, create: true, temp: true });
      }
      // PUBLIC keeps no privilege on the database (grantee 0 = PUBLIC).
      const publicAcl = await admin.query('SELECT count(*)::int AS n FROM pg_database, aclexplode(datacl) a WHERE datname = $1 AND a.grantee = 0', [
        database,
      ]);
      expect(publicAcl.rows[0].n).toBe(0);
    });
  });

  it('is idempotent', async () => {
    const again = await ensureInfra({ databaseUrl, natsUrl, log });
    expect(again.postgres).toMatchObject({ database, created: false, started: false, installed: false });
    expect(again.roles).toEqual(serviceRoles());
  });

  it('lets a service role create its own schema that other service roles cannot read', async () => {
    await withClient(urlFor(database, 'olist_sales'), async (sales) => {
      await sales.query('CREATE SCHEMA sales');
      await sales.query('CREATE TABLE sales.orders (id int PRIMARY KEY)');
      await sales.query('INSERT INTO sales.orders VALUES (1)');
      const own = await sales.query('SELECT count(*)::int AS n FROM sales.orders');
      expect(own.rows[0].n).toBe(1);
    });

    await withClient(urlFor(database, 'olist_customer'), async (customer) => {
      expect(await pgErrorCode(customer.query('SELECT * FROM sales.orders'))).toBe('42501');
      expect(await pgErrorCode(customer.query('CREATE TABLE public.stolen (id int)'))).toBe('42501');
    });
  });

  it('reports an unreachable NATS without starting one when start is false', async () => {
    const port = await freeLoopbackPort();
    const url = `nats://127.0.0.1:${port}`;
    await expect(ensureInfra({ databaseUrl, natsUrl: url, start: false, install: false, log })).rejects.toThrow(url);
    await expect(ensureNats({ natsUrl: url, start: false, install: false, log })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reports an unreachable Postgres without starting one when start is false', async () => {
    const port = await freeLoopbackPort();
    await expect(
      ensurePostgres({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/${database}`, start: false, install: false, log }),
    ).rejects.toThrow(`Postgres is not reachable at 127.0.0.1:${port} (ECONNREFUSED)`);
  });
});

describe('provisionDatabase', () => {
  const database = scratchName('concurrent');

  afterAll(async () => {
    await dropDatabase(database);
  });

  it('is safe when several processes provision the same database at once', async () => {
    const roles = serviceRoles();
    const results = await Promise.all([1, 2, 3].map(() => provisionDatabase(baseUrl, database)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const result of results) expect(result.roles).toEqual(roles);

    await withClient(urlFor(database, 'olist_warehouse'), async (warehouse) => {
      const { rows } = await warehouse.query('SELECT current_database() AS db');
      expect(rows[0].db).toBe(database);
    });
  });

  it('accepts a connected admin client', async () => {
    await withClient(urlFor('postgres'), async (admin) => {
      const result = await provisionDatabase(admin, database, { roles: ['olist_sales'] });
      expect(result).toEqual({ database, created: false, roles: ['olist_sales'], createdRoles: [] });
    });
  });
});
