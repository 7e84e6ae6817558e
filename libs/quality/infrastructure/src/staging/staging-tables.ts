import { IMPORT_COLUMNS, IMPORT_FILES, type ImportFile } from '@olist/quality-contracts';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `staging.<file>`: raw text, one column per CSV column, plus the load and the line the record starts on. */
export const stagingTable = (file: ImportFile) => `staging.${ident(file)}`;

/** The partition that holds one load's rows of a file (dropped with the load's staging data). */
export const stagingPartition = (file: ImportFile, loadId: string) => `staging.${ident(`${file}_${loadId.replace(/-/g, '')}`)}`;

export function createStagingTablesSql(): string[] {
  return IMPORT_FILES.map(
    (file) =>
      `CREATE TABLE ${stagingTable(file)} (
         load_id uuid NOT NULL,
         line integer NOT NULL,
         ${IMPORT_COLUMNS[file].map((c) => `${ident(c)} text`).join(',\n         ')}
       ) PARTITION BY LIST (load_id)`,
  );
}

/** Unlogged: staging is a rebuildable copy of the input files, not worth the WAL. */
export function createStagingPartitionSql(file: ImportFile, loadId: string): string {
  return `CREATE UNLOGGED TABLE IF NOT EXISTS ${stagingPartition(file, loadId)} PARTITION OF ${stagingTable(file)} FOR VALUES IN ('${loadId}')`;
}

export function dropStagingPartitionSql(file: ImportFile, loadId: string): string {
  return `DROP TABLE IF EXISTS ${stagingPartition(file, loadId)}`;
}
