import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { OLIST_FILES, OlistTable } from '../olist-files';

/** A generated directory read back: raw bytes, and the records of each file parsed as the originals are. */
export interface ReadDataset {
  readonly raw: Record<OlistTable, Buffer>;
  readonly header: Record<OlistTable, string[]>;
  readonly rows: Record<OlistTable, string[][]>;
}

const TABLES = Object.keys(OLIST_FILES) as OlistTable[];

/** Parses every file with csv-parse; a record with a different field count than its header throws. */
export function readDataset(dir: string): ReadDataset {
  const raw = {} as Record<OlistTable, Buffer>;
  const header = {} as Record<OlistTable, string[]>;
  const rows = {} as Record<OlistTable, string[][]>;
  for (const table of TABLES) {
    raw[table] = readFileSync(join(dir, OLIST_FILES[table].name));
    const records = parse(raw[table], { bom: true, relax_column_count: false }) as string[][];
    header[table] = records[0];
    rows[table] = records.slice(1);
  }
  return { raw, header, rows };
}

/** Every broken reference between the files, as readable messages (empty when all hold). */
export function integrityProblems(ds: ReadDataset): string[] {
  const problems: string[] = [];
  const ids = (table: OlistTable) => new Set(ds.rows[table].map((r) => r[0]));
  const orders = ids('orders');
  const customers = ids('customers');
  const products = ids('products');
  const sellers = ids('sellers');
  const check = (what: string, values: Iterable<string>, target: Set<string>) => {
    let missing = 0;
    for (const v of values) if (!target.has(v)) missing++;
    if (missing) problems.push(`${missing} ${what} point nowhere`);
  };
  const unique = (table: OlistTable, set: Set<string>) => {
    if (set.size !== ds.rows[table].length) problems.push(`${table}: ${ds.rows[table].length - set.size} duplicate ids`);
  };
  unique('orders', orders);
  unique('customers', customers);
  unique('products', products);
  unique('sellers', sellers);
  check('order customer_ids', ds.rows.orders.map((r) => r[1]), customers);
  check('item order_ids', ds.rows.items.map((r) => r[0]), orders);
  check('item product_ids', ds.rows.items.map((r) => r[2]), products);
  check('item seller_ids', ds.rows.items.map((r) => r[3]), sellers);
  check('payment order_ids', ds.rows.payments.map((r) => r[0]), orders);
  check('review order_ids', ds.rows.reviews.map((r) => r[1]), orders);
  const ordered = new Set(ds.rows.orders.map((r) => r[1]));
  if (ordered.size !== customers.size) problems.push(`${customers.size - ordered.size} customers without an order`);
  const categories = new Set(ds.rows.translations.map((r) => r[0]));
  const untranslated = new Set(ds.rows.products.map((r) => r[1]).filter((c) => c && !categories.has(c)));
  for (const c of untranslated) {
    if (c !== 'pc_gamer' && c !== 'portateis_cozinha_e_preparadores_de_alimentos') problems.push(`unknown category ${c}`);
  }
  return problems;
}

/** Share of customer and seller zip prefixes found in the geolocation file. */
export function zipCoverage(ds: ReadDataset): { customers: number; sellers: number } {
  const zips = new Set(ds.rows.geolocation.map((r) => r[0]));
  const share = (values: string[]) => values.filter((z) => zips.has(z)).length / Math.max(1, values.length);
  return { customers: share(ds.rows.customers.map((r) => r[2])), sellers: share(ds.rows.sellers.map((r) => r[1])) };
}
