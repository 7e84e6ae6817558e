import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Catalog, CatalogCounts } from './catalog';
import { CsvFileWriter } from './csv-file-writer';
import { datasetSize, DatasetSize } from './dataset-size';
import { Geography } from './geography';
import { GeolocationCounts, writeGeolocation } from './geolocation';
import { OLIST_FILES, OlistTable } from './olist-files';
import { OrderCounts, OrderGenerator } from './orders';
import { Random } from './random';
import { TRANSLATED_CATEGORIES } from './reference/categories';

export interface GenerateOlistDatasetOptions {
  /** Directory the nine files are written to (created when missing; existing files are replaced). */
  readonly outDir: string;
  /** 1 reproduces the row counts of the real data set; other scales multiply them. Default 0.1. */
  readonly scale?: number;
  /** Same seed and scale, same bytes. Default 42. */
  readonly seed?: number;
  readonly onProgress?: (progress: GenerationProgress) => void;
}

export type GenerationStage = 'catalog' | 'geolocation' | 'orders' | 'done';

export interface GenerationProgress {
  readonly stage: GenerationStage;
  readonly rowsWritten: number;
  readonly totalRows: number;
  /** rowsWritten / totalRows, from 0 to 1. */
  readonly fraction: number;
}

export interface GeneratedFile {
  readonly table: OlistTable;
  readonly name: string;
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/** How many of each known quirk of the real data the generated files contain. */
export type GenerationQuirks = OrderCounts & CatalogCounts & GeolocationCounts;

export interface GenerationReport {
  readonly outDir: string;
  readonly scale: number;
  readonly seed: number;
  readonly size: DatasetSize;
  readonly files: readonly GeneratedFile[];
  readonly totalRows: number;
  readonly durationMs: number;
  readonly quirks: GenerationQuirks;
}

const TABLES = Object.keys(OLIST_FILES) as OlistTable[];

/**
 * Writes a synthetic Olist data set in the format of the original publication: the nine CSV files,
 * realistic distributions, valid foreign keys and the real data's quirks at their real rates.
 */
export async function generateOlistDataset(options: GenerateOlistDatasetOptions): Promise<GenerationReport> {
  const { outDir, scale = 0.1, seed = 42, onProgress } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  const size = datasetSize(scale);
  const started = performance.now();
  const totalRows = TABLES.reduce((sum, t) => sum + size[t], 0);
  let rowsWritten = 0;
  const progress = (stage: GenerationStage, rows: number) => {
    rowsWritten += rows;
    onProgress?.({ stage, rowsWritten, totalRows, fraction: totalRows ? rowsWritten / totalRows : 1 });
  };

  await mkdir(outDir, { recursive: true });
  const writers = Object.fromEntries(
    TABLES.map((t) => [t, new CsvFileWriter(join(outDir, OLIST_FILES[t].name), OLIST_FILES[t])]),
  ) as Record<OlistTable, CsvFileWriter>;

  let quirks: GenerationQuirks;
  try {
    for (const c of TRANSLATED_CATEGORIES) writers.translations.write([c.name, c.english ?? null]);

    const geography = new Geography(new Random(seed, 1), scale, size.geolocation);
    const catalog = await Catalog.write(new Random(seed, 2), size, geography, writers);
    progress('catalog', writers.translations.rows + writers.sellers.rows + writers.products.rows);

    const geolocation = await writeGeolocation(writers.geolocation, geography, size.geolocation, new Random(seed, 3), (rows) =>
      progress('geolocation', rows),
    );

    const orders = new OrderGenerator(new Random(seed, 4), size, geography, catalog);
    await orders.write(writers, (rows) => progress('orders', rows));

    await Promise.all(TABLES.map((t) => writers[t].close()));
    quirks = { ...orders.counts, ...catalog.counts, ...geolocation };
  } catch (error) {
    for (const t of TABLES) writers[t].abort();
    throw error;
  }

  const files: GeneratedFile[] = [];
  for (const table of TABLES) {
    const writer = writers[table];
    if (writer.rows !== size[table]) throw new Error(`internal error: ${OLIST_FILES[table].name} has ${writer.rows} rows, expected ${size[table]}`);
    files.push({ table, name: OLIST_FILES[table].name, path: writer.path, rows: writer.rows, bytes: (await stat(writer.path)).size });
  }
  onProgress?.({ stage: 'done', rowsWritten, totalRows, fraction: 1 });
  return { outDir, scale, seed, size, files, totalRows, durationMs: performance.now() - started, quirks };
}
