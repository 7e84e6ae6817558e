import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

const LOCAL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/olist';

export interface TestDatabase {
  /** Admin URL of the scratch database. */
  readonly url: string;
  readonly name: string;
  /** URL of the scratch database as one of the platform's service roles. */
  urlAs(role: string): string;
  drop(): Promise<void>;
}

interface InfraModule {
  provisionDatabase(adminUrl: string, database: string): Promise<unknown>;
}

let containerUrl: Promise<string> | undefined;

/**
 * The Postgres server tests use: DATABASE_URL when set, else the local default when it answers,
 * else a throwaway container (testcontainers) where a container runtime exists.
 */
export async function postgresServerUrl(): Promise<string> {
  if (process.env['DATABASE_URL']) return process.env['DATABASE_URL'];
  if (await answers(LOCAL_DEFAULT)) return LOCAL_DEFAULT;
  containerUrl ??= (async () => {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16').withDatabase('olist').start();
    return container.getConnectionUri();
  })();
  return containerUrl;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A scratch database for one suite, provisioned like the real one (per-service roles with
 * CONNECT and CREATE), dropped afterwards.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = await postgresServerUrl();
  const name = `olist_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const infra = require(infraModulePath()) as InfraModule;
  const url = withDatabase(server, name);
  await infra.provisionDatabase(url, name);
  return {
    url,
    name,
    urlAs(role: string) {
      const u = new URL(url);
      u.username = role;
      u.password = process.env['OLIST_DB_ROLE_PASSWORD'] ?? '';
      return u.toString();
    },
    async drop() {
      const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
      await admin.connect();
      try {
        // A pool's end() returns once it has asked its connections to close, not once they have: a
        // backend terminated while its client is still closing makes that client emit an error its
        // pool may not listen for. Connections get two seconds to go on their own.
        const connected = async () =>
          Number((await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0]?.n ?? 0);
        for (let waited = 0; waited < 2_000 && (await connected()) > 0; waited += 50) await new Promise((r) => setTimeout(r, 50));
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** tools/infra/ensure.js of the repository, from the sources or from their build in dist/. */
function infraModulePath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tools/infra/ensure.js');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`tools/infra/ensure.js not found above ${__dirname}`);
  }
}
