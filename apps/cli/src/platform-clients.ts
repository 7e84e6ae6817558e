import { jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { loadMessagingConfig, Topology } from '@olist/messaging';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from '@olist/service-kit';

export function topologyFromEnv(env: NodeJS.ProcessEnv = process.env): Topology {
  return new Topology(loadMessagingConfig(env).prefix);
}

export async function withNats<T>(work: (nc: NatsConnection, jsm: JetStreamManager) => Promise<T>): Promise<T> {
  const url = process.env['NATS_URL'] || DEFAULT_NATS_URL;
  const nc = await connect({ servers: url, name: 'olist-cli', timeout: 3_000 }).catch((error: unknown) => {
    throw new Error(`NATS at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    return await work(nc, await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}

/** The admin connection (DATABASE_URL): operator commands read every service's messaging tables. */
export async function withDatabase<T>(work: (db: Client) => Promise<T>): Promise<T> {
  const url = process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
  const db = new Client({ connectionString: url, connectionTimeoutMillis: 3_000, application_name: 'olist-cli' });
  await db.connect().catch((error: unknown) => {
    const u = new URL(url);
    throw new Error(`Postgres at ${u.hostname}:${u.port || 5432}${u.pathname}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Schemas that exist, among the given ones. */
export async function existingSchemas(db: Client, schemas: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)', [schemas]);
  return new Set(rows.map((r) => r.nspname));
}
