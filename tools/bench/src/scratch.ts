import { randomBytes } from 'node:crypto';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import type { StreamContext, Topology } from '@olist/messaging';
import { postgresServerUrl, withDatabase } from '@olist/testing';

export interface ScratchDatabase {
  readonly name: string;
  /** Admin URL of the scratch database. */
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * An empty database of the bench's own on the server of DATABASE_URL (the local default when
 * unset), created as the admin user; nothing else on the server is touched.
 */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const server = await postgresServerUrl();
  const name = `olist_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin(server, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(server, name),
    drop: () =>
      withAdmin(server, async (admin) => {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      }),
  };
}

async function withAdmin<T>(server: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: withDatabase(server, 'postgres'), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Deletes the streams of the given topologies; a stream that was never created is not an error. */
export async function deleteStreams(jsm: JetStreamManager, topologies: readonly Topology[], contexts: readonly StreamContext[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const topology of topologies) {
    for (const context of contexts) {
      const name = topology.stream(context);
      try {
        await jsm.streams.delete(name);
        deleted.push(name);
      } catch (error) {
        if (!/not found/i.test((error as Error).message)) throw error;
      }
    }
  }
  return deleted;
}

/** Runs every cleanup step even when one fails; rethrows the first failure afterwards. */
export async function runAll(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}
