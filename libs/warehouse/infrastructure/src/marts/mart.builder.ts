import { MART_BUILD } from './mart-definitions';

export interface MartBuildResult {
  /** Events applied to core when the build's snapshot was taken. */
  readonly builtFrom: number;
  readonly ms: number;
  readonly tables: Record<string, number>;
}

export interface ProjectionProgress {
  /** Events applied to core so far, all streams. */
  readonly appliedEvents: number;
  /** Applied events the marts were last built from. */
  readonly builtFrom: number;
  readonly builtAt: string | null;
  readonly buildMs: number | null;
  /** The marts reflect every applied event. */
  readonly fresh: boolean;
  /** Messages of the geolocation feed applied so far (0 when the builder was not told its stream). */
  readonly geolocationApplied: number;
}

export interface MartBuilderOptions {
  /** The stream whose applied messages are geolocation feed batches (`Topology.stream('import')`). */
  readonly geolocationStream?: string;
}

const LOCK = `hashtext('warehouse.mart-build')`;

const GEOLOCATION_TABLE = 'core.dim_geolocation';

/** A build whose tables took less than this in all keeps no timings (its tables were nearly empty). */
const MEASURED_BUILD_MS = 500;

/** The core tables the marts read (dim_geolocation's points are read by its own build alone). */
const MART_SOURCES = ['fact_orders', 'fact_order_items', 'fact_payments', 'fact_deliveries', 'fact_reviews', 'customer_ids', 'dim_customer', 'dim_product', 'dim_seller'];

/** One database connection held for a while: a pg client, a TypeORM query runner. */
export interface SqlSession {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  release(): void | Promise<void>;
}

export type OpenSession = () => Promise<SqlSession>;

/**
 * Rebuilds dim_geolocation and every mart from core (dim_geolocation only when geolocation rows
 * arrived since; `buildGeolocation` also rebuilds it alone) under an advisory lock, so that
 * several warehouse instances never build at once. Two REPEATABLE READ transactions on two
 * connections share one snapshot of core (`pg_export_snapshot`) and take the tables one at a
 * time, longest first, so every table of a build describes
 * the same core. Each table is replaced atomically; the second connection commits just before
 * the first, so for that instant a reader may see some tables of the new build beside others of
 * the previous one.
 */
export class MartBuilder {
  /** How long each table took in the last build that rebuilt it (ms): the longest are taken first. */
  private readonly lastMs = new Map<string, number>();

  constructor(
    private readonly open: OpenSession,
    private readonly options: MartBuilderOptions = {},
  ) {}

  async progress(): Promise<ProjectionProgress> {
    const session = await this.open();
    let rows: { applied: string; geolocation: string; built_from: string; built_at: Date | null; build_ms: number | null }[];
    try {
      rows = await session.query(
        `SELECT (SELECT coalesce(sum(applied_events), 0) FROM core.projection_state) AS applied,
                (SELECT coalesce(sum(applied_events), 0) FROM core.projection_state WHERE stream = $1) AS geolocation,
                b.built_from, b.built_at, b.build_ms
           FROM core.mart_build b WHERE b.id = 1`,
        [this.options.geolocationStream ?? null],
      );
    } finally {
      await session.release();
    }
    const row = rows[0];
    if (!row) throw new Error('core.mart_build has no row: the warehouse migrations have not run');
    const appliedEvents = Number(row.applied);
    const builtFrom = Number(row.built_from);
    return {
      appliedEvents,
      builtFrom,
      builtAt: row.built_at ? new Date(row.built_at).toISOString() : null,
      buildMs: row.build_ms,
      fresh: builtFrom === appliedEvents && row.built_at !== null,
      geolocationApplied: Number(row.geolocation),
    };
  }

  /**
   * Rebuilds dim_geolocation alone when geolocation points arrived since it was last built (it
   * depends on nothing else), under the build's lock: once the geolocation feed has been applied,
   * while the rest of a load is still on its way, so that the build after the load has one table
   * less to do. Returns whether it rebuilt the table (false when nothing changed or a build holds
   * the lock).
   */
  async buildGeolocation(): Promise<boolean> {
    const client = await this.open();
    try {
      const [lock] = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK}) AS locked`);
      if (!lock?.locked) return false;
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL work_mem = '128MB'`);
        const [geolocation] = await client.query<{ rows: string; built: string | null }>(
          `SELECT (SELECT count(*) FROM core.geolocation_points) AS rows, geolocation_rows AS built FROM core.mart_build WHERE id = 1 FOR UPDATE`,
        );
        const rows = Number(geolocation?.rows ?? 0);
        if (geolocation?.built != null && Number(geolocation.built) === rows) {
          await client.query('ROLLBACK');
          return false;
        }
        const started = Date.now();
        const mart = MART_BUILD.find((m) => m.table === GEOLOCATION_TABLE) as (typeof MART_BUILD)[number];
        await client.query(`TRUNCATE ${mart.table}`);
        await client.query(mart.sql);
        await client.query(`UPDATE core.mart_build SET geolocation_rows = $1 WHERE id = 1`, [rows]);
        await client.query('COMMIT');
        if (Date.now() - started >= MEASURED_BUILD_MS) this.lastMs.set(mart.table, Date.now() - started);
        return true;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${LOCK})`).catch(() => undefined);
      }
    } finally {
      await client.release();
    }
  }

  /**
   * Refreshes the planner's statistics of the core tables the marts read where a tenth of their rows
   * changed since they were last analyzed, with a small sample (a load rewrites every table within
   * a minute, sooner than autovacuum looks, and a server may run without it): on estimates of a few
   * hundred rows the marts' joins are planned as nested loops (mart.delivery_by_state took 0.5 s
   * instead of 0.2 s at scale 1). In a transaction of its own, committed before the build's
   * snapshot, so that both of its connections plan with the new statistics.
   */
  private async analyzeStaleSources(client: SqlSession): Promise<void> {
    const stale = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
        WHERE schemaname = 'core' AND relname = ANY($1::text[]) AND n_mod_since_analyze > 50 + 0.1 * n_live_tup
        ORDER BY relname`,
      [MART_SOURCES],
    );
    if (stale.length === 0) return;
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL default_statistics_target = 10`);
      await client.query(`ANALYZE ${stale.map((t) => t.name).join(', ')}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Builds when another instance is not already building; null when it was. */
  async build(): Promise<MartBuildResult | null> {
    const client = await this.open();
    const started = Date.now();
    try {
      const [lock] = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK}) AS locked`);
      if (!lock?.locked) return null;
      let helper: SqlSession | undefined;
      try {
        await this.analyzeStaleSources(client);
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await client.query(`SET LOCAL work_mem = '128MB'`);
        const [snapshot] = await client.query<{ id: string }>(`SELECT pg_export_snapshot() AS id`);
        const [applied] = await client.query<{ n: string }>(`SELECT coalesce(sum(applied_events), 0) AS n FROM core.projection_state`);
        const builtFrom = Number(applied?.n ?? 0);
        // Geolocation rows are only ever appended (and emptied by a replay, which forgets the count),
        // so while their count is the one the last dim_geolocation build read, it is kept as it is.
        const [geolocation] = await client.query<{ rows: string; built: string | null }>(
          `SELECT (SELECT count(*) FROM core.geolocation_points) AS rows, geolocation_rows AS built FROM core.mart_build WHERE id = 1`,
        );
        const geolocationRows = Number(geolocation?.rows ?? 0);
        const current = geolocation?.built != null && Number(geolocation.built) === geolocationRows;
        const rebuilt = MART_BUILD.filter((m) => !(current && m.table === GEOLOCATION_TABLE));

        // A second connection reads the same snapshot of core; the two take the tables one at a time.
        helper = await this.open();
        await helper.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await helper.query(`SET TRANSACTION SNAPSHOT '${snapshot?.id ?? ''}'`);
        await helper.query(`SET LOCAL work_mem = '128MB'`);
        const tables: Record<string, number> = {};
        // Longest first (by the last real build's times; the definitions' order until then), so
        // the two connections end close together. The times of a build of almost empty tables say
        // nothing about the next one and are not kept.
        const queue = [...rebuilt].sort((a, b) => (this.lastMs.get(b.table) ?? 0) - (this.lastMs.get(a.table) ?? 0));
        const took = new Map<string, number>();
        const lane = async (session: SqlSession) => {
          for (let mart = queue.shift(); mart; mart = queue.shift()) {
            const tableStarted = Date.now();
            await session.query(`TRUNCATE ${mart.table}`);
            await session.query(mart.sql);
            took.set(mart.table, Date.now() - tableStarted);
            const [count] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${mart.table}`);
            tables[mart.table] = count?.n ?? 0;
          }
        };
        const lanes = await Promise.allSettled([lane(client), lane(helper)]);
        const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
        if (failed) throw failed.reason;
        if ([...took.values()].reduce((sum, ms) => sum + ms, 0) >= MEASURED_BUILD_MS) for (const [table, ms] of took) this.lastMs.set(table, ms);
        for (const { table } of MART_BUILD.filter((m) => !rebuilt.includes(m))) {
          const [count] = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          tables[table] = count?.n ?? 0;
        }
        await helper.query('COMMIT');
        const ms = Date.now() - started;
        await client.query(`UPDATE core.mart_build SET built_from = $1, built_at = now(), build_ms = $2, geolocation_rows = $3 WHERE id = 1`, [
          builtFrom,
          ms,
          geolocationRows,
        ]);
        await client.query('COMMIT');
        return { builtFrom, ms, tables: Object.fromEntries(MART_BUILD.map((m) => [m.table, tables[m.table] ?? 0])) };
      } catch (error) {
        await helper?.query('ROLLBACK').catch(() => undefined);
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await helper?.release();
        await client.query(`SELECT pg_advisory_unlock(${LOCK})`).catch(() => undefined);
      }
    } finally {
      await client.release();
    }
  }
}
