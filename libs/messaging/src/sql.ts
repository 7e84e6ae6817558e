import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** What messaging code needs of a transaction: run SQL, get rows. */
export interface SqlTx {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** Runs work in one transaction: commit when it resolves, roll back when it throws. */
export interface Transactor<TTx extends SqlTx = SqlTx> {
  transaction<T>(work: (tx: TTx) => Promise<T>): Promise<T>;
}

export class PgTransactor implements Transactor<SqlTx & { client: PoolClient }> {
  constructor(private readonly pool: Pool) {}

  async transaction<T>(work: (tx: SqlTx & { client: PoolClient }) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx = {
        client,
        query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** A transaction on the service's TypeORM DataSource; handlers also get its EntityManager. */
export interface TypeOrmTx extends SqlTx {
  readonly manager: EntityManager;
  readonly queryRunner: QueryRunner;
}

export class TypeOrmTransactor implements Transactor<TypeOrmTx> {
  constructor(private readonly dataSource: DataSource) {}

  async transaction<T>(work: (tx: TypeOrmTx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const tx: TypeOrmTx = {
        manager: runner.manager,
        queryRunner: runner,
        query: async <R>(sql: string, params?: unknown[]) => (await runner.query(sql, params, true)).records as R[],
      };
      const result = await work(tx);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An element that needs no quotes in an array literal (and is not the word NULL). */
const PLAIN_ELEMENT = /^[^\s",\\{}]+$/;

/**
 * A one-dimensional PostgreSQL array literal of text or numbers (`{a,"b c",NULL,1.5}`), for a
 * parameter cast to `text[]`, `numeric[]`, `float8[]`, `int[]`…: the pg driver quotes and escapes
 * every element of an array parameter with two regular expressions, which for the million-row
 * geolocation batches cost more than the statements' own parameter handling.
 */
export function pgArray(values: readonly (string | number | boolean | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v !== 'string') out += String(v);
    else if (PLAIN_ELEMENT.test(v) && !(v.length === 4 && v.toUpperCase() === 'NULL')) out += v;
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}
