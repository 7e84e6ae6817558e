import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IMPORT_FILES } from '@olist/quality-contracts';
import { createStagingTablesSql, stagingTable } from '../../staging/staging-tables';

/**
 * Loads, their files, the rule catalog, verdicts and the staging tables. Verdicts carry no foreign
 * keys: a full-size load writes a quarter of a million of them in one statement and the checks
 * cost more than the rows; the rules are synced from the catalog in code before they run.
 */
export class QualitySchema1764200000000 implements MigrationInterface {
  readonly name = 'QualitySchema1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE quality.loads (
        id           uuid PRIMARY KEY,
        source       text NOT NULL,
        status       text NOT NULL CHECK (status IN ('registered', 'staged', 'checked', 'published', 'unchanged', 'failed')),
        gate         text CHECK (gate IN ('passed', 'failed')),
        failure      text,
        started_at   timestamptz NOT NULL,
        staged_at    timestamptz,
        checked_at   timestamptz,
        finished_at  timestamptz,
        timings      jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await runner.query(`
      CREATE TABLE quality.load_files (
        load_id      uuid NOT NULL REFERENCES quality.loads (id) ON DELETE CASCADE,
        file         text NOT NULL,
        file_name    text NOT NULL,
        bytes        bigint NOT NULL,
        sha256       text NOT NULL,
        records      integer,
        accepted     integer,
        quarantined  integer,
        warnings     integer,
        score        numeric(5, 2),
        PRIMARY KEY (load_id, file)
      )`);
    await runner.query(`
      CREATE TABLE quality.rules (
        code         text PRIMARY KEY,
        description  text NOT NULL,
        severity     text NOT NULL CHECK (severity IN ('error', 'warn')),
        table_name   text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE quality.verdicts (
        load_id      uuid NOT NULL,
        file         text NOT NULL,
        line         integer NOT NULL,
        rule_code    text NOT NULL,
        severity     text NOT NULL CHECK (severity IN ('error', 'warn')),
        message      text NOT NULL,
        "values"     jsonb
      )`);
    await runner.query(`CREATE INDEX verdicts_load_file_idx ON quality.verdicts (load_id, file, severity, line)`);
    for (const sql of createStagingTablesSql()) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const file of IMPORT_FILES) await runner.query(`DROP TABLE IF EXISTS ${stagingTable(file)} CASCADE`);
    for (const t of ['verdicts', 'rules', 'load_files', 'loads']) await runner.query(`DROP TABLE IF EXISTS quality.${t}`);
  }
}
