import type { Client } from 'pg';
import { IMPORT_FILE_NAMES, type ImportFile } from '@olist/quality-contracts';
import { withDatabase } from '../platform-clients';

interface QuarantinedRow {
  file: ImportFile;
  line: number;
  rule_code: string;
  message: string;
  values: Record<string, string | null> | null;
}

/** `olist quarantine LOAD`: the rows a load held back, with file, line, rule and message. */
export async function quarantineCommand(load: string, options: { json?: boolean }, out: (line: string) => void = console.log): Promise<number> {
  return withDatabase(async (db) => {
    const loadId = await resolveLoad(db, load);
    const { rows } = await db.query<QuarantinedRow>(
      `SELECT file, line, rule_code, message, "values" FROM quality.verdicts
        WHERE load_id = $1 AND severity = 'error' ORDER BY file, line, rule_code`,
      [loadId],
    );
    if (options.json) {
      out(
        JSON.stringify({
          loadId,
          quarantined: rows.map((r) => ({ file: IMPORT_FILE_NAMES[r.file] ?? r.file, line: r.line, rule: r.rule_code, message: r.message, values: r.values })),
        }),
      );
    } else if (rows.length === 0) {
      out(`load ${loadId}: no quarantined rows`);
    } else {
      for (const r of rows) out(`${IMPORT_FILE_NAMES[r.file] ?? r.file}:${r.line}  ${r.rule_code}  ${r.message}`);
      out(`${rows.length} verdicts on ${new Set(rows.map((r) => `${r.file}:${r.line}`)).size} quarantined rows`);
    }
    return 0;
  });
}

/** A load id, or `latest`. */
export async function resolveLoad(db: Client, load: string): Promise<string> {
  const exists = await db.query<{ ok: boolean }>(`SELECT to_regclass('quality.loads') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) throw new Error('no load exists yet (the quality schema is not migrated)');
  if (load === 'latest') {
    const { rows } = await db.query<{ id: string }>(`SELECT id::text FROM quality.loads ORDER BY started_at DESC LIMIT 1`);
    if (!rows[0]) throw new Error('no load exists yet');
    return rows[0].id;
  }
  if (!/^[0-9a-f-]{36}$/i.test(load)) throw new Error(`"${load}" is not a load id (a UUID, or "latest")`);
  const { rows } = await db.query<{ id: string }>(`SELECT id::text FROM quality.loads WHERE id = $1`, [load]);
  if (!rows[0]) throw new Error(`load ${load} does not exist`);
  return rows[0].id;
}
