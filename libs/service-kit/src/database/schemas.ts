import { Client } from 'pg';

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates the service's schemas (owned by its own role) before migrations run.
 * A missing role or database gets an error that says how to provision it.
 */
export async function ensureSchemas(databaseUrl: string, schemas: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw explainConnectionError(error, databaseUrl);
  }
  try {
    for (const schema of schemas) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  } finally {
    await client.end();
  }
}

export function explainConnectionError(error: unknown, databaseUrl: string): Error {
  const url = new URL(databaseUrl);
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  const code = (error as { code?: string }).code;
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    code === '28000' || code === '3D000' || code === '42501'
      ? ' — provision the database and per-service roles with `node tools/infra/ensure.js` (npx olist up does it too)'
      : code === 'ECONNREFUSED'
        ? ' — is PostgreSQL running? `node tools/infra/ensure.js` starts a local one'
        : '';
  return new Error(`Postgres at ${where} as role "${decodeURIComponent(url.username)}": ${reason}${hint}`, {
    cause: error,
  });
}
