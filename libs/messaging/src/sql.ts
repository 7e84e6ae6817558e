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
