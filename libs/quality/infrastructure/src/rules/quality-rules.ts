import type { SqlTx } from '@olist/messaging';
import { IMPORT_FILES, type ImportFile } from '@olist/quality-contracts';
import { RULE_CATALOG, fileScore, ruleByCode } from '@olist/quality-domain';
import { stagingPartition, stagingTable } from '../staging/staging-tables';
import { ROW_CHECKS, SET_RULES, type RowChecks } from './rule-queries';
import { literal, rowValues } from './rule-sql';

export interface RuleRunSummary {
  readonly loadId: string;
  /** Files of the load: those with a staging partition. */
  readonly files: readonly ImportFile[];
  /** Files whose partition was analyzed first because its statistics were missing or older than its content. */
  readonly analyzed: readonly ImportFile[];
  readonly verdicts: number;
  /** Verdicts per rule code, for every rule that ran (0 included). */
  readonly rules: Readonly<Record<string, number>>;
  /** Rules that did not run because the load lacks their file or a file they compare with. */
  readonly skipped: readonly string[];
  /**
   * Milliseconds per step: `analyze`, `rows:<file>` for the row rules of a file (one scan), the
   * rule code for a set rule.
   */
  readonly timings: Readonly<Record<string, number>>;
  readonly totalMs: number;
}

export interface FileReport {
  readonly file: ImportFile;
  /** Rows staged for the file. */
  readonly records: number;
  /** Rows without an error verdict (records − quarantined); they are published. */
  readonly accepted: number;
  /** Rows with at least one error verdict. */
  readonly quarantined: number;
  /** Accepted rows with at least one warning. */
  readonly warnings: number;
  /** `fileScore(records, quarantined, warnings)`. */
  readonly score: number;
  /** Verdicts per rule code of the file's rules (0 included). */
  readonly rules: Readonly<Record<string, number>>;
}

/**
 * Settings while the rules run: memory for the sorts and hashes over a million geolocation rows; no
 * JIT (compiling the long rule expressions costs more than it saves); no nested loops, which a row
 * estimate of a filtered aggregate can make the planner pick over a hundred thousand rows on each side
 * (staging has no indexes, so they never help); and the ISO date output the timestamp checks compare with.
 */
const RULES_SETTINGS = { work_mem: '128MB', jit: 'off', enable_nestloop: 'off', DateStyle: 'ISO, YMD' } as const;

/** Upserts RULE_CATALOG into quality.rules (verdicts reference it). Retired codes are kept for old verdicts. */
export async function syncRuleCatalog(tx: SqlTx): Promise<void> {
  await tx.query(
    `INSERT INTO quality.rules (code, description, severity, table_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (code) DO UPDATE
       SET description = EXCLUDED.description, severity = EXCLUDED.severity, table_name = EXCLUDED.table_name
       WHERE (rules.description, rules.severity, rules.table_name)
             IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.severity, EXCLUDED.table_name)`,
    [RULE_CATALOG.map((r) => r.code), RULE_CATALOG.map((r) => r.description), RULE_CATALOG.map((r) => r.severity), RULE_CATALOG.map((r) => r.table)],
  );
}

export interface RuleRunOptions {
  /**
   * Only the rules whose verdicts are about these files (default: every file). Disjoint sets of
   * files can be judged at once in separate transactions: each replaces only its files' verdicts.
   */
  readonly files?: readonly ImportFile[];
}

/**
 * Judges every staged row of a load (or of `options.files`): analyzes partitions without current
 * statistics, and replaces the load's verdicts with one per (row, rule hit), written set-based in
 * SQL (one scan per file for its row rules, one statement per set rule). quality.rules must hold the
 * catalog (`syncRuleCatalog`, in a transaction of its own when several run at once: its upsert
 * would make them wait on each other).
 * Must run inside a transaction: it changes settings for its own statements (restored at the end)
 * and uses a savepoint.
 */
export async function runRules(tx: SqlTx, loadId: string, options: RuleRunOptions = {}): Promise<RuleRunSummary> {
  assertEveryRuleImplemented();
  const judged = (file: ImportFile) => options.files === undefined || options.files.includes(file);
  const started = performance.now();
  const timings: Record<string, number> = {};
  const rules: Record<string, number> = {};
  const skipped: string[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - t);
    }
  };

  const files = await loadFiles(tx, loadId);
  const inLoad = new Set<ImportFile>(files);
  const analyzed = await timed('analyze', () => analyzeStalePartitions(tx, loadId, files.filter(judged)));

  const restoreSettings = await setForTransaction(tx, RULES_SETTINGS);
  await tx.query(`DELETE FROM quality.verdicts WHERE load_id = $1 AND file = ANY($2::text[])`, [loadId, IMPORT_FILES.filter(judged)]);

  for (const checks of ROW_CHECKS) {
    if (!judged(checks.file)) continue;
    if (!inLoad.has(checks.file)) {
      skipped.push(...checks.rules.map((r) => r.code));
      continue;
    }
    const counts = await timed(`rows:${checks.file}`, () => runRowChecks(tx, loadId, checks));
    for (const r of checks.rules) rules[r.code] = counts.get(r.code) ?? 0;
  }

  for (const rule of SET_RULES) {
    if (!judged(rule.file)) continue;
    if (!inLoad.has(rule.file) || !(rule.requires ?? []).every((f) => inLoad.has(f))) {
      skipped.push(rule.code);
      continue;
    }
    const severity = ruleByCode(rule.code).severity;
    const select = rule.select((alias) => (severity === 'error' ? rowValues(rule.file, alias) : 'NULL::jsonb'));
    const [row] = await timed(rule.code, () =>
      tx.query<{ n: number }>(
        `WITH inserted AS (
           INSERT INTO quality.verdicts (load_id, file, line, rule_code, severity, message, "values")
           SELECT $1::uuid, ${literal(rule.file)}, q.line, ${literal(rule.code)}, ${literal(severity)}, q.message, q.vals
             FROM (${select}) q
           RETURNING 1)
         SELECT count(*)::int AS n FROM inserted`,
        [loadId],
      ),
    );
    rules[rule.code] = row?.n ?? 0;
  }

  await restoreSettings();
  return {
    loadId,
    files,
    analyzed,
    verdicts: Object.values(rules).reduce((a, b) => a + b, 0),
    rules,
    skipped,
    timings,
    totalMs: Math.round(performance.now() - started),
  };
}

/**
 * The row rules of one file in one scan of its partition. Files with a fast mode first try the
 * derived values that may raise on malformed text (a cast instead of a validating regular
 * expression on a million rows); on a data error the savepoint undoes it and the guarded variant runs.
 */
async function runRowChecks(tx: SqlTx, loadId: string, checks: RowChecks): Promise<Map<string, number>> {
  const run = async (mode: 'fast' | 'guarded') =>
    new Map(
      (await tx.query<{ code: string; n: number }>(rowChecksSql(checks, mode), [loadId])).map((r) => [r.code, r.n] as const),
    );
  if (!checks.hasFastMode) return run('guarded');
  await tx.query('SAVEPOINT quality_rules_fast');
  try {
    const counts = await run('fast');
    await tx.query('RELEASE SAVEPOINT quality_rules_fast');
    return counts;
  } catch (error) {
    if (!isDataException(error)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT quality_rules_fast');
    await tx.query('RELEASE SAVEPOINT quality_rules_fast');
    return run('guarded');
  }
}

export function rowChecksSql(checks: RowChecks, mode: 'fast' | 'guarded'): string {
  const { file, rules } = checks;
  // OFFSET 0 keeps each level a separate subquery, so a derived value is computed once per row
  // rather than once per reference.
  let source = `SELECT s.* FROM ${stagingTable(file)} s WHERE s.load_id = $1`;
  checks.derive(mode).forEach((stage, i) => {
    const columns = Object.entries(stage).map(([name, sql]) => `${sql} AS ${name}`);
    source = `SELECT s.*, ${columns.join(', ')} FROM (${source}${i > 0 ? ' OFFSET 0' : ''}) s`;
  });
  const hits = rules.map((r, i) => `coalesce(${r.when}, false) AS hit${i}`);
  // The rows with at least one hit are kept once; each rule then reads its own from them.
  const verdicts = rules.map((r, i) => {
    const severity = ruleByCode(r.code).severity;
    const values = severity === 'error' ? rowValues(file, 's') : 'NULL::jsonb';
    return `SELECT $1::uuid, ${literal(file)}, s.line, ${literal(r.code)}, ${literal(severity)}, ${r.message}, ${values}
              FROM hits s WHERE s.hit${i}`;
  });
  return `
    WITH hits AS MATERIALIZED (
      SELECT * FROM (SELECT s.*, ${hits.join(', ')} FROM (${source} OFFSET 0) s OFFSET 0) s
       WHERE ${rules.map((_, i) => `s.hit${i}`).join(' OR ')}
    ),
    inserted AS (
      INSERT INTO quality.verdicts (load_id, file, line, rule_code, severity, message, "values")
      ${verdicts.join('\n      UNION ALL ')}
      RETURNING rule_code
    )
    SELECT rule_code AS code, count(*)::int AS n FROM inserted GROUP BY rule_code`;
}

/**
 * Per file of the load: records, accepted, quarantined (rows with an error verdict), warnings (rows
 * with warnings only), score and verdicts per rule. Every staged row is either accepted or quarantined.
 */
export async function fileReport(tx: SqlTx, loadId: string): Promise<FileReport[]> {
  const files = await loadFiles(tx, loadId);
  if (files.length === 0) return [];
  const records = await tx.query<{ file: ImportFile; n: number }>(
    files.map((f) => `SELECT ${literal(f)} AS file, count(*)::int AS n FROM ${stagingTable(f)} WHERE load_id = $1`).join(' UNION ALL '),
    [loadId],
  );
  // Lines with warnings only = lines with any verdict − lines with an error verdict.
  const lines = await tx.query<{ file: ImportFile; quarantined: number; warnings: number }>(
    `SELECT file, count(DISTINCT line) FILTER (WHERE severity = 'error')::int AS quarantined,
            (count(DISTINCT line) - count(DISTINCT line) FILTER (WHERE severity = 'error'))::int AS warnings
       FROM quality.verdicts WHERE load_id = $1 GROUP BY file`,
    [loadId],
  );
  const byRule = await tx.query<{ file: ImportFile; code: string; n: number }>(
    `SELECT file, rule_code AS code, count(*)::int AS n FROM quality.verdicts WHERE load_id = $1 GROUP BY file, rule_code`,
    [loadId],
  );
  return files.map((file) => {
    const total = records.find((r) => r.file === file)?.n ?? 0;
    const counted = lines.find((l) => l.file === file);
    const quarantined = counted?.quarantined ?? 0;
    const warnings = counted?.warnings ?? 0;
    const rules: Record<string, number> = {};
    for (const r of RULE_CATALOG) if (r.table === file) rules[r.code] = 0;
    for (const r of byRule) if (r.file === file) rules[r.code] = r.n;
    return { file, records: total, accepted: total - quarantined, quarantined, warnings, score: fileScore(total, quarantined, warnings), rules };
  });
}

/**
 * SQL condition that holds for the accepted rows of a load, i.e. rows without an error verdict,
 * given the alias of a `staging.<file>` row: `SELECT … FROM staging.orders s WHERE s.load_id = $1
 * AND ${acceptedRowsCondition('orders', 's')}`. It probes the verdicts index (load_id, file, severity, line).
 */
export function acceptedRowsCondition(file: ImportFile, alias: string): string {
  if (!(IMPORT_FILES as readonly string[]).includes(file)) throw new RangeError(`unknown file "${file}"`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new RangeError(`"${alias}" is not a plain SQL alias`);
  return `NOT EXISTS (SELECT 1 FROM quality.verdicts v
                       WHERE v.load_id = ${alias}.load_id AND v.file = ${literal(file)} AND v.line = ${alias}.line AND v.severity = 'error')`;
}

/**
 * ANALYZE the partitions of the load without statistics for their current content: never analyzed,
 * or grown since (ANALYZE records the page count). The planner needs them to choose hash joins and
 * hash aggregates; the loader usually analyzes right after staging, so this mostly finds nothing to do.
 */
async function analyzeStalePartitions(tx: SqlTx, loadId: string, files: readonly ImportFile[]): Promise<ImportFile[]> {
  const stale = await tx.query<{ file: ImportFile }>(
    `SELECT t.file FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (file, partition, n)
       JOIN pg_class c ON c.oid = to_regclass(t.partition)
      WHERE c.reltuples < 0 OR c.relpages <> pg_relation_size(c.oid) / current_setting('block_size')::int
      ORDER BY t.n`,
    [files, files.map((f) => stagingPartition(f, loadId))],
  );
  for (const { file } of stale) await tx.query(`ANALYZE ${stagingPartition(file, loadId)}`);
  return stale.map((r) => r.file);
}

/** The files of a load: those whose staging partition exists (the loader creates one per staged file). */
async function loadFiles(tx: SqlTx, loadId: string): Promise<ImportFile[]> {
  const rows = await tx.query<{ file: ImportFile }>(
    `SELECT t.file FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (file, partition, n)
      WHERE to_regclass(t.partition) IS NOT NULL ORDER BY t.n`,
    [IMPORT_FILES, IMPORT_FILES.map((f) => stagingPartition(f, loadId))],
  );
  return rows.map((r) => r.file);
}

/** Sets the settings for the rest of the transaction; the returned function puts the previous values back. */
async function setForTransaction(tx: SqlTx, settings: Readonly<Record<string, string>>): Promise<() => Promise<void>> {
  const names = Object.keys(settings);
  const [previous] = await tx.query<{ values: string[] }>(
    `SELECT array_agg(current_setting(n) ORDER BY i) AS values FROM unnest($1::text[]) WITH ORDINALITY AS t (n, i)`,
    [names],
  );
  const apply = (values: readonly string[]) =>
    tx.query(`SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS t (n, v)`, [names, values]);
  await apply(Object.values(settings));
  return async () => {
    await apply(previous?.values ?? []);
  };
}

function isDataException(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** The codes implemented here, each once, against RULE_CATALOG; a mismatch is a programming fault. */
export function implementedRuleCodes(): Map<string, ImportFile> {
  const implemented = new Map<string, ImportFile>();
  const add = (code: string, file: ImportFile) => {
    if (implemented.has(code)) throw new Error(`quality rule ${code} is implemented twice`);
    implemented.set(code, file);
  };
  for (const checks of ROW_CHECKS) for (const r of checks.rules) add(r.code, checks.file);
  for (const r of SET_RULES) add(r.code, r.file);
  return implemented;
}

let verified = false;

function assertEveryRuleImplemented(): void {
  if (verified) return;
  const implemented = implementedRuleCodes();
  for (const r of RULE_CATALOG) {
    const file = implemented.get(r.code);
    if (file === undefined) throw new Error(`quality rule ${r.code} has no SQL`);
    if (file !== r.table) throw new Error(`quality rule ${r.code} belongs to ${r.table} but runs on ${file}`);
  }
  for (const code of implemented.keys()) ruleByCode(code);
  verified = true;
}
