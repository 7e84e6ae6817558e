import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import { PgTransactor, type SqlTx } from '@olist/messaging';
import { IMPORT_COLUMNS, IMPORT_FILES, IMPORT_FILE_NAMES, type ImportFile } from '@olist/quality-contracts';
import { QUALITY_FEEDS, RULE_CATALOG, fileScore, ruleByCode } from '@olist/quality-domain';
import { BRAZIL_BOUNDING_BOX } from '@olist/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@olist/testing';
import { QualitySchema1764200000000 } from '../persistence/migrations/1764200000000-quality-schema';
import { createStagingPartitionSql, stagingPartition } from '../staging/staging-tables';
import {
  acceptedRowsCondition,
  fileReport,
  implementedRuleCodes,
  rowChecksSql,
  runRules,
  syncRuleCatalog,
  type FileReport,
} from './quality-rules';
import { ROW_CHECKS } from './rule-queries';

const SAMPLE_DIR = path.resolve(__dirname, '../../../../..', '../shared/data/olist-sample');

type Row<F extends ImportFile> = Partial<Record<(typeof IMPORT_COLUMNS)[F][number], string | null>>;
/** A staged row (overrides of the file's clean default) and the rule codes it must get. */
type Case<F extends ImportFile> = readonly [Row<F>, readonly string[]];

const DEFAULTS: { [F in ImportFile]: Required<Row<F>> } = {
  customers: {
    customer_id: 'c1',
    customer_unique_id: 'u1',
    customer_zip_code_prefix: '01310',
    customer_city: 'sao paulo',
    customer_state: 'SP',
  },
  sellers: { seller_id: 's1', seller_zip_code_prefix: '13023', seller_city: 'campinas', seller_state: 'SP' },
  products: {
    product_id: 'p1',
    product_category_name: 'beleza_saude',
    product_name_lenght: '57.0',
    product_description_lenght: '163',
    product_photos_qty: '1',
    product_weight_g: '400.0',
    product_length_cm: '27',
    product_height_cm: '13',
    product_width_cm: '17',
  },
  category_translation: { product_category_name: 'beleza_saude', product_category_name_english: 'health_beauty' },
  orders: {
    order_id: 'o1',
    customer_id: 'c1',
    order_status: 'delivered',
    order_purchase_timestamp: '2018-01-01 10:00:00',
    order_approved_at: '2018-01-01 11:00:00',
    order_delivered_carrier_date: '2018-01-02 09:00:00',
    order_delivered_customer_date: '2018-01-05 12:00:00',
    order_estimated_delivery_date: '2018-01-20 00:00:00',
  },
  order_items: {
    order_id: 'o1',
    order_item_id: '1',
    product_id: 'p1',
    seller_id: 's1',
    shipping_limit_date: '2018-01-03 10:00:00',
    price: '100.0',
    freight_value: '10.00',
  },
  order_payments: {
    order_id: 'o1',
    payment_sequential: '1',
    payment_type: 'credit_card',
    payment_installments: '2',
    payment_value: '110.00',
  },
  order_reviews: {
    review_id: 'r1',
    order_id: 'o1',
    review_score: '5',
    review_comment_title: null,
    review_comment_message: null,
    review_creation_date: '2018-01-06 00:00:00',
    review_answer_timestamp: '2018-01-07 10:00:00',
  },
  geolocation: {
    geolocation_zip_code_prefix: '01310',
    geolocation_lat: '-23.561414',
    geolocation_lng: '-46.655881',
    geolocation_city: 'sao paulo',
    geolocation_state: 'SP',
  },
};

const item = (order_id: string, extra: Row<'order_items'> = {}): Case<'order_items'> => [{ order_id, ...extra }, []];

/** Each file's rows, in line order from line 2, with the codes each row must get. */
const CASES: { [F in ImportFile]: readonly Case<F>[] } = {
  customers: [
    [{}, []],
    [{ customer_id: 'c2' }, []],
    [{}, ['CUSTOMERS.PK_DUPLICATE']],
    [{ customer_id: null }, ['CUSTOMERS.PK_MISSING']],
    [{ customer_id: 'c5', customer_unique_id: null }, ['CUSTOMERS.UNIQUE_ID_MISSING']],
    [{ customer_id: 'c6', customer_zip_code_prefix: '1046' }, ['CUSTOMERS.ZIP_LEADING_ZERO_LOST']],
    [{ customer_id: 'c7', customer_zip_code_prefix: '1046.0' }, ['CUSTOMERS.ZIP_LEADING_ZERO_LOST']],
    [{ customer_id: 'c8', customer_zip_code_prefix: '01046.0' }, []],
    [{ customer_id: 'c9', customer_zip_code_prefix: '123' }, ['CUSTOMERS.ZIP_INVALID']],
    [{ customer_id: 'c10', customer_zip_code_prefix: null }, ['CUSTOMERS.ZIP_INVALID']],
    [{ customer_id: 'c11', customer_zip_code_prefix: '12a45' }, ['CUSTOMERS.ZIP_INVALID']],
    [{ customer_id: 'c12', customer_state: 'XX' }, ['CUSTOMERS.STATE_UNKNOWN']],
    [{ customer_id: 'c13', customer_state: ' sp ' }, []],
    [{ customer_id: 'c14', customer_city: '04482255' }, ['CUSTOMERS.CITY_MALFORMED']],
    [{ customer_id: 'c15', customer_city: 'sp / sp' }, ['CUSTOMERS.CITY_MALFORMED']],
    [{ customer_id: 'c16', customer_city: 'vendas@creditparts.com.br' }, ['CUSTOMERS.CITY_MALFORMED']],
    [{ customer_id: 'c17', customer_city: 'sao paulo / sp' }, []],
    [{ customer_id: 'c18', customer_city: null }, ['CUSTOMERS.CITY_MALFORMED']],
  ],
  sellers: [
    [{}, []],
    [{ seller_id: 's2', seller_zip_code_prefix: '9999', seller_city: 'sp' }, ['SELLERS.ZIP_LEADING_ZERO_LOST', 'SELLERS.CITY_MALFORMED']],
    [{}, ['SELLERS.PK_DUPLICATE']],
    [{ seller_id: '  ' }, ['SELLERS.PK_MISSING']],
    [{ seller_id: 's4', seller_state: null, seller_zip_code_prefix: '123456' }, ['SELLERS.STATE_UNKNOWN', 'SELLERS.ZIP_INVALID']],
  ],
  products: [
    [{}, []],
    [{ product_id: 'p2', product_category_name: null }, ['PRODUCTS.CATEGORY_MISSING']],
    [{ product_id: 'p3', product_category_name: 'pcs' }, ['PRODUCTS.CATEGORY_UNTRANSLATED']],
    [{ product_id: 'p4', product_weight_g: '0', product_height_cm: null }, ['PRODUCTS.MEASURES_MISSING']],
    [{ product_id: 'p5', product_name_lenght: 'abc', product_photos_qty: '-1' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: 'p6', product_width_cm: '12,5' }, ['PRODUCTS.NUMBER_INVALID']],
    [{}, ['PRODUCTS.PK_DUPLICATE']],
    [{ product_id: 'p7', product_name_lenght: '57.5' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: null }, ['PRODUCTS.PK_MISSING']],
    [{ product_id: 'p8', product_weight_g: '+5' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: 'p9', product_description_lenght: '007' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: 'p10', product_length_cm: '1e3' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: 'p11', product_width_cm: 'NaN' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: 'p12', product_photos_qty: '-0' }, ['PRODUCTS.NUMBER_INVALID']],
    [{ product_id: 'p13', product_height_cm: ' 5' }, ['PRODUCTS.NUMBER_INVALID']],
  ],
  category_translation: [
    [{}, []],
    [{ product_category_name: 'cama_mesa_banho', product_category_name_english: null }, ['TRANSLATION.ENGLISH_MISSING']],
    [{}, ['TRANSLATION.PK_DUPLICATE']],
    [{ product_category_name: null }, ['TRANSLATION.PK_MISSING']],
  ],
  orders: [
    [{}, []],
    [{ order_id: 'o2', customer_id: 'c2', order_status: 'shipped', order_delivered_customer_date: null }, []],
    [{}, ['ORDERS.PK_DUPLICATE']],
    [{ order_id: null }, ['ORDERS.PK_MISSING']],
    [{ order_id: 'o4', customer_id: 'c404' }, ['ORDERS.FK_CUSTOMER']],
    [{ order_id: 'o5', customer_id: null }, ['ORDERS.FK_CUSTOMER']],
    [{ order_id: 'o6', order_status: 'lost' }, ['ORDERS.STATUS_UNKNOWN']],
    [{ order_id: 'o7', order_purchase_timestamp: '2018-02-30 10:00:00' }, ['ORDERS.TIMESTAMP_INVALID']],
    [
      { order_id: 'o8', order_status: 'shipped', order_approved_at: '2018-13-01 00:00:00', order_delivered_carrier_date: 'yesterday' },
      ['ORDERS.TIMESTAMP_INVALID'],
    ],
    [{ order_id: 'o9', order_purchase_timestamp: null }, ['ORDERS.TIMESTAMP_INVALID']],
    [{ order_id: 'o10', order_approved_at: '2018-01-01 09:00:00' }, ['ORDERS.APPROVED_BEFORE_PURCHASE']],
    [{ order_id: 'o11', order_delivered_carrier_date: '2017-12-31 10:00:00' }, ['ORDERS.CARRIER_BEFORE_PURCHASE', 'ORDERS.CARRIER_BEFORE_APPROVAL']],
    [{ order_id: 'o12', order_delivered_customer_date: '2018-01-01 12:00:00' }, ['ORDERS.DELIVERED_BEFORE_CARRIER']],
    [{ order_id: 'o13', order_delivered_customer_date: null }, ['ORDERS.DELIVERED_WITHOUT_DATE']],
    [{ order_id: 'o14', order_approved_at: null }, ['ORDERS.DELIVERED_WITHOUT_APPROVAL']],
    [{ order_id: 'o15' }, ['ORDERS.NO_ITEMS']],
    [{ order_id: 'o16' }, ['ORDERS.PAYMENTS_MISMATCH']],
    [{ order_id: 'o17', order_purchase_timestamp: '2018-01-01', order_estimated_delivery_date: '2018-01-20' }, []],
    [
      {
        order_id: 'o18',
        order_purchase_timestamp: '2016-02-29 10:00:00',
        order_approved_at: '2016-02-29 11:00:00',
        order_delivered_carrier_date: '2016-03-01 10:00:00',
        order_delivered_customer_date: '2016-03-03 10:00:00',
      },
      [],
    ],
    [{ order_id: 'o19', order_purchase_timestamp: '2017-02-29 10:00:00' }, ['ORDERS.TIMESTAMP_INVALID']],
    [
      {
        order_id: 'o20',
        order_status: 'canceled',
        order_approved_at: null,
        order_delivered_carrier_date: null,
        order_delivered_customer_date: null,
      },
      [],
    ],
    [{ order_id: 'o21' }, []],
    [{ order_id: 'o22', order_approved_at: '2018-01-01 24:00:00' }, ['ORDERS.TIMESTAMP_INVALID']],
    [{ order_id: 'o23', order_delivered_carrier_date: '2018-01-02 23:59:60' }, ['ORDERS.TIMESTAMP_INVALID']],
    [{ order_id: 'o24', order_estimated_delivery_date: '2018-1-20' }, ['ORDERS.TIMESTAMP_INVALID']],
  ],
  order_items: [
    item('o1'),
    item('o2', { price: '50', freight_value: '5' }),
    ...['o4', 'o5', 'o6', 'o7', 'o8', 'o9', 'o10', 'o11', 'o12', 'o13', 'o14', 'o16', 'o17', 'o18', 'o19', 'o20', 'o22', 'o23', 'o24'].map(
      (o) => item(o),
    ),
    [{ order_id: 'o21', price: '1e3' }, ['ITEMS.PRICE_INVALID']],
    [{ order_id: 'o21', order_item_id: '1.0' }, ['ITEMS.PK_DUPLICATE']],
    [{ order_id: 'o404' }, ['ITEMS.FK_ORDER']],
    [{ order_id: 'o21', order_item_id: '2', product_id: 'p404' }, ['ITEMS.FK_PRODUCT']],
    [{ order_id: 'o21', order_item_id: '3', seller_id: null }, ['ITEMS.FK_SELLER']],
    [{ order_id: 'o21', order_item_id: '4', price: '-5.00' }, ['ITEMS.PRICE_NEGATIVE']],
    [{ order_id: 'o21', order_item_id: '5', freight_value: null }, ['ITEMS.FREIGHT_INVALID']],
    [{ order_id: 'o21', order_item_id: '6', freight_value: '-0.01' }, ['ITEMS.FREIGHT_NEGATIVE']],
    [{ order_id: 'o21', order_item_id: '7', price: '1.005' }, ['ITEMS.PRICE_INVALID']],
    [{ order_id: 'o21', order_item_id: '8', shipping_limit_date: '2018-01-03T10:00:00' }, ['ITEMS.SHIPPING_LIMIT_INVALID']],
    [{ order_id: null }, ['ITEMS.PK_MISSING']],
    [{ order_id: 'o21', order_item_id: '0' }, ['ITEMS.ITEM_NUMBER_INVALID']],
    [{ order_id: 'o21', order_item_id: 'x' }, ['ITEMS.ITEM_NUMBER_INVALID']],
    [{ order_id: 'o21', order_item_id: '9', price: '1.500', freight_value: '0' }, []],
  ],
  order_payments: [
    [{}, []],
    [{ order_id: 'o2', payment_type: 'boleto', payment_installments: '1', payment_value: '55.0' }, []],
    [{ order_id: 'o16', payment_value: '109.99' }, []],
    [{ order_id: 'o20', payment_type: 'pix' }, ['PAYMENTS.TYPE_UNKNOWN']],
    [{ order_id: 'o20', payment_sequential: '1.0' }, ['PAYMENTS.PK_DUPLICATE']],
    [{ order_id: 'o404' }, ['PAYMENTS.FK_ORDER']],
    [{ order_id: 'o20', payment_sequential: '2', payment_type: 'not_defined' }, ['PAYMENTS.TYPE_NOT_DEFINED']],
    [{ order_id: 'o20', payment_sequential: '3', payment_installments: '0' }, ['PAYMENTS.INSTALLMENTS_ZERO']],
    [{ order_id: 'o20', payment_sequential: '4', payment_installments: '-1' }, ['PAYMENTS.INSTALLMENTS_INVALID']],
    [{ order_id: 'o20', payment_sequential: '5', payment_installments: '1.5' }, ['PAYMENTS.INSTALLMENTS_INVALID']],
    [{ order_id: 'o20', payment_sequential: '6', payment_value: 'abc' }, ['PAYMENTS.VALUE_INVALID']],
    [{ order_id: 'o20', payment_sequential: '7', payment_value: '-1.00' }, ['PAYMENTS.VALUE_NEGATIVE']],
    [{ order_id: 'o20', payment_sequential: null }, ['PAYMENTS.PK_MISSING']],
    [{ order_id: 'o20', payment_sequential: '0' }, ['PAYMENTS.SEQUENTIAL_INVALID']],
    [{ order_id: 'o20', payment_sequential: '8', payment_type: 'voucher', payment_installments: '3.0' }, []],
    [{ order_id: 'o20', payment_sequential: '9', payment_installments: null }, ['PAYMENTS.INSTALLMENTS_INVALID']],
    [{ order_id: 'o20', payment_sequential: '10', payment_type: null }, ['PAYMENTS.TYPE_UNKNOWN']],
  ],
  order_reviews: [
    [{}, []],
    [{ review_id: 'r2', order_id: 'o2', review_score: '4.0' }, []],
    [{}, ['REVIEWS.PK_DUPLICATE']],
    [{ order_id: 'o2' }, ['REVIEWS.PK_DUPLICATE']],
    [{ review_id: null }, ['REVIEWS.PK_MISSING']],
    [{ review_id: 'r3', order_id: 'o404' }, ['REVIEWS.FK_ORDER']],
    [{ review_id: 'r4', order_id: null }, ['REVIEWS.FK_ORDER']],
    [{ review_id: 'r5', review_score: '6' }, ['REVIEWS.SCORE_INVALID']],
    [{ review_id: 'r6', review_score: null }, ['REVIEWS.SCORE_INVALID']],
    [{ review_id: 'r7', review_creation_date: '2018-01-06', review_answer_timestamp: null }, []],
    [{ review_id: 'r8', review_answer_timestamp: 'soon' }, ['REVIEWS.TIMESTAMP_INVALID']],
    [{ review_id: 'r9', review_creation_date: null }, ['REVIEWS.TIMESTAMP_INVALID']],
    [{ review_id: 'r10', review_score: '4.5' }, ['REVIEWS.SCORE_INVALID']],
  ],
  geolocation: [
    [{}, []],
    [{}, ['GEO.DUPLICATE_ROW']],
    [{}, ['GEO.DUPLICATE_ROW']],
    [{ geolocation_zip_code_prefix: '1310' }, ['GEO.ZIP_LEADING_ZERO_LOST']],
    [{ geolocation_zip_code_prefix: '1310' }, ['GEO.ZIP_LEADING_ZERO_LOST', 'GEO.DUPLICATE_ROW']],
    [{ geolocation_lat: '-23.5', geolocation_lng: '46.6' }, ['GEO.OUTSIDE_BRAZIL']],
    [{ geolocation_lat: 'abc' }, ['GEO.COORDINATES_INVALID']],
    [{ geolocation_lat: null }, ['GEO.COORDINATES_INVALID']],
    [{ geolocation_state: 'XX' }, ['GEO.STATE_UNKNOWN']],
    [{ geolocation_zip_code_prefix: '1310.0' }, ['GEO.ZIP_LEADING_ZERO_LOST']],
    [{ geolocation_zip_code_prefix: 'abcde' }, ['GEO.ZIP_INVALID']],
    [{ geolocation_lat: '1e3' }, ['GEO.OUTSIDE_BRAZIL']],
    [{ geolocation_lat: 'NaN' }, ['GEO.COORDINATES_INVALID']],
    [{ geolocation_lat: ' -23.5 ' }, []],
    [{ geolocation_lat: '-23.5', geolocation_state: 'sp' }, []],
  ],
};

interface Verdict {
  file: string;
  line: number;
  code: string;
  severity: string;
}

const byPosition = (a: Verdict, b: Verdict) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.code.localeCompare(b.code);

function expectedVerdicts(cases: Partial<typeof CASES>): Verdict[] {
  return Object.entries(cases)
    .flatMap(([file, rows]) =>
      (rows as readonly Case<ImportFile>[]).flatMap(([, codes], i) =>
        codes.map((code) => ({ file, line: i + 2, code, severity: ruleByCode(code).severity })),
      ),
    )
    .sort(byPosition);
}

function expectedReport(file: ImportFile, rows: readonly Case<ImportFile>[]): Omit<FileReport, 'rules' | 'score'> {
  const quarantined = rows.filter(([, codes]) => codes.some((c) => ruleByCode(c).severity === 'error')).length;
  const warnings = rows.filter(([, codes]) => codes.length > 0 && codes.every((c) => ruleByCode(c).severity === 'warn')).length;
  return { file, records: rows.length, accepted: rows.length - quarantined, quarantined, warnings };
}

describe('quality rules', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  let loadNo = 0;

  beforeAll(async () => {
    db = await createTestDatabase('quality_rules');
    pool = new Pool({ connectionString: db.url, max: 2 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA quality; CREATE SCHEMA staging;');
    await new QualitySchema1764200000000().up({ query: (sql: string) => pool.query(sql) } as unknown as QueryRunner);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function newLoad(files: readonly ImportFile[]): Promise<string> {
    const loadId = `00000000-0000-4000-8000-${String(++loadNo).padStart(12, '0')}`;
    await pool.query(`INSERT INTO quality.loads (id, source, status, started_at) VALUES ($1, 'test', 'staged', now())`, [loadId]);
    for (const file of files) await pool.query(createStagingPartitionSql(file, loadId));
    return loadId;
  }

  /** Inserts the rows with lines 2, 3, … as the loader numbers them. */
  async function stage<F extends ImportFile>(loadId: string, file: F, rows: readonly Row<F>[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = IMPORT_COLUMNS[file] as readonly string[];
    const params: unknown[] = [loadId];
    const tuples = rows.map((row, i) => {
      const values = { ...DEFAULTS[file], ...row } as Record<string, string | null>;
      const refs = columns.map((c) => {
        params.push(values[c]);
        return `$${params.length}`;
      });
      return `($1, ${i + 2}, ${refs.join(', ')})`;
    });
    await pool.query(
      `INSERT INTO staging.${file} (load_id, line, ${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
  }

  async function stageCases(cases: Partial<typeof CASES>): Promise<string> {
    const files = Object.keys(cases) as ImportFile[];
    const loadId = await newLoad(files);
    for (const file of files) await stage(loadId, file, (cases[file] ?? []).map(([row]) => row));
    return loadId;
  }

  const check = (loadId: string) =>
    transactor.transaction(async (tx) => {
      await syncRuleCatalog(tx);
      const summary = await runRules(tx, loadId);
      return { summary, reports: await fileReport(tx, loadId) };
    });

  const verdictsOf = async (loadId: string): Promise<Verdict[]> =>
    (
      await pool.query<Verdict>(
        `SELECT file, line, rule_code AS code, severity FROM quality.verdicts WHERE load_id = $1`,
        [loadId],
      )
    ).rows.sort(byPosition);

  const message = async (loadId: string, file: ImportFile, line: number, code: string) =>
    (
      await pool.query<{ message: string }>(
        `SELECT message FROM quality.verdicts WHERE load_id = $1 AND file = $2 AND line = $3 AND rule_code = $4`,
        [loadId, file, line, code],
      )
    ).rows.map((r) => r.message);

  describe('on hand-written rows covering every rule', () => {
    let loadId: string;
    let reports: FileReport[];
    let summary: Awaited<ReturnType<typeof runRules>>;

    beforeAll(async () => {
      loadId = await stageCases(CASES);
      ({ summary, reports } = await check(loadId));
    });

    it('every catalog rule has SQL on its own table, and the catalog names the import files', () => {
      expect([...QUALITY_FEEDS].sort()).toEqual([...IMPORT_FILES].sort());
      const implemented = implementedRuleCodes();
      expect([...implemented.keys()].sort()).toEqual(RULE_CATALOG.map((r) => r.code).sort());
      for (const r of RULE_CATALOG) expect(implemented.get(r.code)).toBe(r.table);
    });

    it('keeps quality.rules equal to the catalog', async () => {
      const { rows } = await pool.query(`SELECT code, description, severity, table_name AS table FROM quality.rules ORDER BY code`);
      expect(rows).toEqual([...RULE_CATALOG].map((r) => ({ ...r })).sort((a, b) => a.code.localeCompare(b.code)));
    });

    it('judged in two lanes on disjoint files at once, a load gets the same verdicts as in one run', async () => {
      const laneLoad = await stageCases(CASES);
      await transactor.transaction((tx) => syncRuleCatalog(tx));
      const lanes: ImportFile[][] = [['geolocation'], IMPORT_FILES.filter((f) => f !== 'geolocation')];
      const summaries = await Promise.all(lanes.map((files) => transactor.transaction((tx) => runRules(tx, laneLoad, { files }))));
      expect(await verdictsOf(laneLoad)).toEqual(expectedVerdicts(CASES));
      expect(Object.keys(summaries[0]!.rules).sort()).toEqual(RULE_CATALOG.filter((r) => r.table === 'geolocation').map((r) => r.code).sort());
      // A lane run again replaces its own files' verdicts and leaves the other lane's alone.
      await transactor.transaction((tx) => runRules(tx, laneLoad, { files: ['geolocation'] }));
      expect(await verdictsOf(laneLoad)).toEqual(expectedVerdicts(CASES));
    });

    it('every rule fires on the rows meant for it, and only there', async () => {
      const expected = expectedVerdicts(CASES);
      expect(await verdictsOf(loadId)).toEqual(expected);
      expect(new Set(expected.map((v) => v.code))).toEqual(new Set(RULE_CATALOG.map((r) => r.code)));
      expect(summary.skipped).toEqual([]);
      expect(summary.verdicts).toBe(expected.length);
      expect(summary.analyzed).toEqual(IMPORT_FILES);
    });

    it('reports every file exactly', () => {
      expect(reports.map((r) => r.file)).toEqual(IMPORT_FILES);
      for (const report of reports) {
        const rows = CASES[report.file] as readonly Case<ImportFile>[];
        const expected = expectedReport(report.file, rows);
        expect(report).toMatchObject(expected);
        expect(report.score).toBe(fileScore(expected.records, expected.quarantined, expected.warnings));
        const counts: Record<string, number> = {};
        for (const r of RULE_CATALOG) if (r.table === report.file) counts[r.code] = 0;
        for (const [, codes] of rows) for (const c of codes) counts[c] = (counts[c] ?? 0) + 1;
        expect(report.rules).toEqual(counts);
      }
      expect(reports.find((r) => r.file === 'geolocation')).toEqual({
        file: 'geolocation',
        records: 15,
        accepted: 8,
        quarantined: 7,
        warnings: 5,
        score: 50,
        rules: {
          'GEO.ZIP_INVALID': 1,
          'GEO.ZIP_LEADING_ZERO_LOST': 3,
          'GEO.STATE_UNKNOWN': 1,
          'GEO.COORDINATES_INVALID': 3,
          'GEO.OUTSIDE_BRAZIL': 2,
          'GEO.DUPLICATE_ROW': 3,
        },
      });
      expect(reports.find((r) => r.file === 'orders')).toMatchObject({
        records: 25,
        accepted: 13,
        quarantined: 12,
        warnings: 7,
        score: 49.2,
      });
    });

    it('counts every row as accepted or quarantined, and the publisher condition selects the accepted ones', async () => {
      for (const report of reports) {
        expect(report.accepted + report.quarantined).toBe(report.records);
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM staging.${report.file} s WHERE s.load_id = $1 AND ${acceptedRowsCondition(report.file, 's')}`,
          [loadId],
        );
        expect(rows[0]?.n).toBe(report.accepted);
      }
    });

    it('says what is wrong and where, in words a user can act on', async () => {
      expect(await message(loadId, 'order_items', 25, 'ITEMS.FK_ORDER')).toEqual(['order_id "o404" is not in olist_orders_dataset.csv']);
      expect(await message(loadId, 'order_items', 23, 'ITEMS.PRICE_INVALID')).toEqual(['price "1e3" is not a decimal amount']);
      expect(await message(loadId, 'order_items', 24, 'ITEMS.PK_DUPLICATE')).toEqual([
        '(order_id, order_item_id) ("o21", "1.0") already appears on line 23',
      ]);
      expect(await message(loadId, 'order_items', 27, 'ITEMS.FK_SELLER')).toEqual(['seller_id is empty']);
      expect(await message(loadId, 'orders', 10, 'ORDERS.TIMESTAMP_INVALID')).toEqual([
        'order_approved_at "2018-13-01 00:00:00" is not a valid time (YYYY-MM-DD HH:MM:SS); ' +
          'order_delivered_carrier_date "yesterday" is not a valid time (YYYY-MM-DD HH:MM:SS)',
      ]);
      expect(await message(loadId, 'orders', 11, 'ORDERS.TIMESTAMP_INVALID')).toEqual(['order_purchase_timestamp is empty']);
      expect(await message(loadId, 'orders', 13, 'ORDERS.CARRIER_BEFORE_PURCHASE')).toEqual([
        'order_delivered_carrier_date "2017-12-31 10:00:00" is before order_purchase_timestamp "2018-01-01 10:00:00" (handed to the carrier before it was bought)',
      ]);
      expect(await message(loadId, 'orders', 17, 'ORDERS.NO_ITEMS')).toEqual(['order_id "o15" has no row in olist_order_items_dataset.csv']);
      expect(await message(loadId, 'orders', 18, 'ORDERS.PAYMENTS_MISMATCH')).toEqual([
        'payments add up to 109.99 but items (price + freight) to 110.00',
      ]);
      expect(await message(loadId, 'orders', 4, 'ORDERS.PK_DUPLICATE')).toEqual(['order_id "o1" already appears on line 2']);
      expect(await message(loadId, 'order_reviews', 4, 'REVIEWS.PK_DUPLICATE')).toEqual([
        'review_id "r1" already appears on line 2 for the same order',
      ]);
      expect(await message(loadId, 'order_reviews', 5, 'REVIEWS.PK_DUPLICATE')).toEqual([
        'review_id "r1" already appears on line 4 for order "o1"',
      ]);
      expect(await message(loadId, 'order_payments', 10, 'PAYMENTS.INSTALLMENTS_INVALID')).toEqual(['payment_installments "-1" is negative']);
      expect(await message(loadId, 'order_payments', 11, 'PAYMENTS.INSTALLMENTS_INVALID')).toEqual([
        'payment_installments "1.5" is not a whole number',
      ]);
      expect(await message(loadId, 'geolocation', 5, 'GEO.ZIP_LEADING_ZERO_LOST')).toEqual([
        'geolocation_zip_code_prefix "1310" has 4 digits, read as "01310"',
      ]);
      expect(await message(loadId, 'geolocation', 6, 'GEO.DUPLICATE_ROW')).toEqual([
        'same zip prefix, coordinates, city and state as line 5',
      ]);
      expect(await message(loadId, 'geolocation', 8, 'GEO.COORDINATES_INVALID')).toEqual(['geolocation_lat "abc" is not a number']);
      expect(await message(loadId, 'geolocation', 7, 'GEO.OUTSIDE_BRAZIL')).toEqual([
        `point (-23.5, 46.6) is outside Brazil (latitude ${BRAZIL_BOUNDING_BOX.minLat} to ${BRAZIL_BOUNDING_BOX.maxLat}, longitude ${BRAZIL_BOUNDING_BOX.minLng} to ${BRAZIL_BOUNDING_BOX.maxLng})`,
      ]);
      expect(await message(loadId, 'sellers', 3, 'SELLERS.CITY_MALFORMED')).toEqual(['seller_city "sp" is a state code, not a city']);
      expect(await message(loadId, 'customers', 17, 'CUSTOMERS.CITY_MALFORMED')).toEqual([
        'customer_city "vendas@creditparts.com.br" looks like an e-mail address',
      ]);
      expect(await message(loadId, 'products', 6, 'PRODUCTS.NUMBER_INVALID')).toEqual([
        'product_name_lenght "abc" is not a non-negative whole number; product_photos_qty "-1" is not a non-negative whole number',
      ]);
      expect(await message(loadId, 'products', 5, 'PRODUCTS.MEASURES_MISSING')).toEqual([
        'product_weight_g "0" is not positive; product_height_cm is empty',
      ]);
    });

    it('stores the staging row with error verdicts, nothing with warnings', async () => {
      const { rows } = await pool.query<{ severity: string; same: boolean | null }>(
        `SELECT v.severity, v."values" = to_jsonb(s) - 'load_id' - 'line' AS same
           FROM quality.verdicts v JOIN staging.order_items s ON s.load_id = v.load_id AND s.line = v.line
          WHERE v.load_id = $1 AND v.file = 'order_items'
         UNION ALL
         SELECT v.severity, v."values" IS NULL
           FROM quality.verdicts v WHERE v.load_id = $1 AND v.severity = 'warn'`,
        [loadId],
      );
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.every((r) => r.same === true)).toBe(true);
    });

    it('gives the same verdicts when run again', async () => {
      const before = await verdictsOf(loadId);
      const again = await check(loadId);
      expect(await verdictsOf(loadId)).toEqual(before);
      expect(again.reports).toEqual(reports);
      expect(again.summary.analyzed).toEqual([]);
    });
  });

  it.each(ROW_CHECKS.filter((c) => c.hasFastMode).map((c) => [c.file, c] as const))(
    'judges %s the same with the fast casts as with the guarded ones',
    async (file, checks) => {
      // Values the fast casts raise on; they make runRules fall back to the guarded variant.
      const raising = new Set(['2018-02-30 10:00:00', '2018-13-01 00:00:00', '2017-02-29 10:00:00', 'abc', '12,5']);
      const rows = (CASES[file] as readonly Case<ImportFile>[]).filter(([row]) => !Object.values(row).some((v) => raising.has(v ?? '')));
      const loadId = await stageCases({ [file]: rows });
      const rowCodes = new Set(checks.rules.map((r) => r.code));
      const judged: Record<string, Verdict[]> = {};
      for (const mode of ['fast', 'guarded'] as const) {
        await transactor.transaction(async (tx: SqlTx) => {
          await tx.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
          await tx.query(`DELETE FROM quality.verdicts WHERE load_id = $1`, [loadId]);
          await tx.query(rowChecksSql(checks, mode), [loadId]);
        });
        judged[mode] = await verdictsOf(loadId);
      }
      expect(judged['fast']).toEqual(expectedVerdicts({ [file]: rows }).filter((v) => rowCodes.has(v.code)));
      expect(judged['guarded']).toEqual(judged['fast']);
      if (rows.length < CASES[file].length) {
        const all = await stageCases({ [file]: CASES[file] });
        await expect(transactor.transaction((tx) => tx.query(rowChecksSql(checks, 'fast'), [all]))).rejects.toThrow();
      }
    },
  );

  it('runs the rules of the files a load has, skipping comparisons with files it lacks', async () => {
    const loadId = await stageCases({ order_items: [item('o1'), item('o2'), [{ order_id: 'o2', price: 'x' }, ['ITEMS.PRICE_INVALID', 'ITEMS.PK_DUPLICATE']]] });
    const { summary, reports } = await check(loadId);
    expect(summary.files).toEqual(['order_items']);
    expect([...summary.skipped].sort()).toEqual(
      [
        'ITEMS.FK_ORDER',
        'ITEMS.FK_PRODUCT',
        'ITEMS.FK_SELLER',
        ...RULE_CATALOG.filter((r) => r.table !== 'order_items').map((r) => r.code),
      ].sort(),
    );
    expect(reports).toEqual([
      expect.objectContaining({ file: 'order_items', records: 3, accepted: 2, quarantined: 1, warnings: 0, score: 66.67 }),
    ]);
  });

  it('reports an empty file as clean', async () => {
    const loadId = await newLoad(['orders']);
    const { reports } = await check(loadId);
    expect(reports).toEqual([
      expect.objectContaining({ file: 'orders', records: 0, accepted: 0, quarantined: 0, warnings: 0, score: 100 }),
    ]);
  });

  it('refuses an alias or file that would change the SQL', () => {
    expect(() => acceptedRowsCondition('orders', 's; DROP TABLE x')).toThrow(RangeError);
    expect(() => acceptedRowsCondition('nope' as ImportFile, 's')).toThrow(RangeError);
  });

  describe('on the olist sample', () => {
    const present = existsSync(path.join(SAMPLE_DIR, IMPORT_FILE_NAMES.orders));
    if (!present) {
      console.warn(`quality rules: ${SAMPLE_DIR} not found, the olist-sample checks are skipped`);
      it.skip('needs ../shared/data/olist-sample', () => undefined);
      return;
    }

    let loadId: string;
    let summary: Awaited<ReturnType<typeof runRules>>;
    let reports: FileReport[];

    beforeAll(async () => {
      loadId = await newLoad(IMPORT_FILES);
      const client = await pool.connect();
      try {
        for (const file of IMPORT_FILES) await copySample(client, loadId, file);
      } finally {
        client.release();
      }
      ({ summary, reports } = await check(loadId));
      const slowest = Object.entries(summary.timings)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([step, ms]) => `${step} ${ms} ms`)
        .join(', ');
      console.log(
        `runRules on the olist sample (${reports.reduce((n, r) => n + r.records, 0)} rows): ${summary.totalMs} ms, ` +
          `${summary.verdicts} verdicts; slowest: ${slowest}`,
      );
    }, 120_000);

    it('stages every record of the sample', () => {
      expect(Object.fromEntries(reports.map((r) => [r.file, r.records]))).toEqual({
        customers: 15_000,
        geolocation: 50_000,
        order_items: 17_071,
        order_payments: 15_733,
        order_reviews: 14_944,
        orders: 15_000,
        products: 9_255,
        sellers: 1_904,
        category_translation: 71,
      });
    });

    it("reproduces the README's counts of the real quirks", () => {
      const r = summary.rules;
      expect(r['REVIEWS.PK_DUPLICATE']).toBe(20); // 20 review_ids used twice: one warning on each second use
      expect(r['GEO.DUPLICATE_ROW']).toBe(1_848);
      expect(r['GEO.OUTSIDE_BRAZIL']).toBe(3);
      expect(r['ORDERS.NO_ITEMS']).toBe(115);
      expect(r['ORDERS.CARRIER_BEFORE_PURCHASE']).toBe(31);
      expect(r['ORDERS.DELIVERED_BEFORE_CARRIER']).toBe(2);
      expect(r['ORDERS.DELIVERED_WITHOUT_APPROVAL']).toBe(7);
    });

    it('finds exactly these verdicts on the sample', () => {
      const nonZero = Object.fromEntries(Object.entries(summary.rules).filter(([, n]) => n > 0));
      expect(nonZero).toEqual(SAMPLE_VERDICTS);
    });

    it('quarantines only the points outside Brazil and counts every row once', () => {
      for (const report of reports) expect(report.accepted + report.quarantined).toBe(report.records);
      expect(reports.filter((r) => r.quarantined > 0).map((r) => [r.file, r.quarantined])).toEqual([['geolocation', 3]]);
    });
  });
  describe('at the full size of the data set (OLIST_RULES_SCALE=1)', () => {
    const scale = Number(process.env['OLIST_RULES_SCALE'] ?? '0');
    if (!(scale > 0) || !existsSync(path.join(SAMPLE_DIR, IMPORT_FILE_NAMES.orders))) {
      it.skip('is a benchmark: set OLIST_RULES_SCALE=1 (needs ../shared/data/olist-sample)', () => undefined);
      return;
    }

    it('judges every row and says how long each step takes', async () => {
      const loadId = await newLoad(IMPORT_FILES);
      const client = await pool.connect();
      try {
        for (const file of IMPORT_FILES) await copyScaledSample(client, loadId, file, scale);
        // As the loader does after staging.
        for (const file of IMPORT_FILES) await client.query(`ANALYZE ${stagingPartition(file, loadId)}`);
      } finally {
        client.release();
      }
      const { summary, reports } = await check(loadId);
      const rows = reports.reduce((n, r) => n + r.records, 0);
      console.log(
        `runRules at scale ${scale} (${rows} rows): ${summary.totalMs} ms, ${summary.verdicts} verdicts\n` +
          Object.entries(summary.timings)
            .map(([step, ms]) => `  ${step}: ${ms} ms`)
            .join('\n'),
      );
      for (const report of reports) expect(report.accepted + report.quarantined).toBe(report.records);
    }, 600_000);
  });
});

/** Verdict counts on the olist sample (rules not listed find nothing). */
const SAMPLE_VERDICTS: Record<string, number> = {
  'CUSTOMERS.ZIP_LEADING_ZERO_LOST': 3_655,
  'GEO.DUPLICATE_ROW': 1_848,
  'GEO.OUTSIDE_BRAZIL': 3,
  'GEO.ZIP_LEADING_ZERO_LOST': 12_310,
  'ORDERS.CARRIER_BEFORE_APPROVAL': 206,
  'ORDERS.CARRIER_BEFORE_PURCHASE': 31,
  'ORDERS.DELIVERED_BEFORE_CARRIER': 2,
  'ORDERS.DELIVERED_WITHOUT_APPROVAL': 7,
  'ORDERS.NO_ITEMS': 115,
  'ORDERS.PAYMENTS_MISMATCH': 88,
  'PAYMENTS.INSTALLMENTS_ZERO': 1,
  'PRODUCTS.CATEGORY_MISSING': 156,
  'PRODUCTS.CATEGORY_UNTRANSLATED': 3,
  'REVIEWS.PK_DUPLICATE': 20,
  'SELLERS.CITY_MALFORMED': 4,
  'SELLERS.ZIP_LEADING_ZERO_LOST': 643,
};

const SAMPLE_COPY_COLUMNS = (file: ImportFile) => (IMPORT_COLUMNS[file] as readonly string[]).map((c) => `"${c}"`).join(', ');

/** COPY one sample CSV into a temp table of the session, numbered in file order. */
async function copySampleToTemp(client: PoolClient, file: ImportFile): Promise<string> {
  const temp = `sample_${file}`;
  await client.query(`DROP TABLE IF EXISTS ${temp}`);
  await client.query(
    `CREATE TEMP TABLE ${temp} (n bigserial, ${(IMPORT_COLUMNS[file] as readonly string[]).map((c) => `"${c}" text`).join(', ')})`,
  );
  await pipeline(
    createReadStream(path.join(SAMPLE_DIR, IMPORT_FILE_NAMES[file])),
    client.query(copyFrom(`COPY ${temp} (${SAMPLE_COPY_COLUMNS(file)}) FROM STDIN (FORMAT csv, HEADER true)`)),
  );
  return temp;
}

/** Test shortcut for the loader: COPY the CSV into a temp table, then into the partition with line numbers. */
async function copySample(client: PoolClient, loadId: string, file: ImportFile): Promise<void> {
  const columns = SAMPLE_COPY_COLUMNS(file);
  const temp = await copySampleToTemp(client, file);
  await client.query(
    `INSERT INTO ${stagingPartition(file, loadId)} (load_id, line, ${columns}) SELECT $1, n + 1, ${columns} FROM ${temp} ORDER BY n`,
    [loadId],
  );
  await client.query(`DROP TABLE ${temp}`);
}

/** Columns holding ids that are made unique per copy when the sample is multiplied. */
const ID_COLUMNS = new Set(['order_id', 'customer_id', 'customer_unique_id', 'product_id', 'seller_id', 'review_id']);

/**
 * The sample multiplied to the size of the full data set (scale 1: ~7 copies of the orders and what
 * they reference, 20 of the geolocation rows, a quarter of them duplicates), ids suffixed per copy.
 */
async function copyScaledSample(client: PoolClient, loadId: string, file: ImportFile, scale: number): Promise<void> {
  const temp = await copySampleToTemp(client, file);
  const columns = IMPORT_COLUMNS[file] as readonly string[];
  const copies =
    file === 'category_translation' ? 1 : Math.max(1, Math.round((file === 'geolocation' ? 20 : 99_441 / 15_000) * scale));
  const values = columns.map((c) => {
    if (ID_COLUMNS.has(c) && file !== 'category_translation') return `"${c}" || '-' || k`;
    if (c === 'geolocation_lat') return `CASE WHEN k = 1 THEN "${c}" ELSE "${c}" || (k % 15) END`;
    return `"${c}"`;
  });
  await client.query(
    `INSERT INTO ${stagingPartition(file, loadId)} (load_id, line, ${SAMPLE_COPY_COLUMNS(file)})
     SELECT $1, row_number() OVER (ORDER BY k, n) + 1, ${values.join(', ')}
       FROM ${temp}, generate_series(1, $2::int) AS k`,
    [loadId, copies],
  );
  await client.query(`DROP TABLE ${temp}`);
}
