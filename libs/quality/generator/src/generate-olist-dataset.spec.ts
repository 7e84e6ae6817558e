import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOlistDataset, GenerationProgress, GenerationReport } from './generate-olist-dataset';
import { OLIST_FILES, OlistTable } from './olist-files';
import { integrityProblems, readDataset, ReadDataset, zipCoverage } from './testing/read-dataset';

// Header lines of the original publication, byte for byte.
const ORIGINAL_HEADERS: Record<OlistTable, string> = {
  customers: '"customer_id","customer_unique_id","customer_zip_code_prefix","customer_city","customer_state"',
  geolocation: '"geolocation_zip_code_prefix","geolocation_lat","geolocation_lng","geolocation_city","geolocation_state"',
  items: '"order_id","order_item_id","product_id","seller_id","shipping_limit_date","price","freight_value"',
  payments: '"order_id","payment_sequential","payment_type","payment_installments","payment_value"',
  reviews:
    '"review_id","order_id","review_score","review_comment_title","review_comment_message","review_creation_date","review_answer_timestamp"',
  orders:
    '"order_id","customer_id","order_status","order_purchase_timestamp","order_approved_at","order_delivered_carrier_date","order_delivered_customer_date","order_estimated_delivery_date"',
  products:
    '"product_id","product_category_name","product_name_lenght","product_description_lenght","product_photos_qty","product_weight_g","product_length_cm","product_height_cm","product_width_cm"',
  sellers: '"seller_id","seller_zip_code_prefix","seller_city","seller_state"',
  translations: '\ufeffproduct_category_name,product_category_name_english',
};
const TABLES = Object.keys(OLIST_FILES) as OlistTable[];
const HEX_ID = /^[0-9a-f]{32}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const MONEY = /^\d+\.\d{2}$/;

describe('generateOlistDataset at scale 0.01', () => {
  let root: string;
  let report: GenerationReport;
  let ds: ReadDataset;
  const progress: GenerationProgress[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'olist-gen-'));
    report = await generateOlistDataset({ outDir: join(root, 'a'), scale: 0.01, seed: 42, onProgress: (p) => progress.push(p) });
    ds = readDataset(join(root, 'a'));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes exactly the scaled row counts', () => {
    const expected: Record<OlistTable, number> = {
      orders: 994,
      items: 1127,
      payments: 1039,
      reviews: 992,
      customers: 994,
      products: 330,
      sellers: 31,
      geolocation: 10002,
      translations: 71,
    };
    for (const t of TABLES) {
      expect([t, ds.rows[t].length]).toEqual([t, expected[t]]);
      expect(report.files.find((f) => f.table === t)?.rows).toBe(expected[t]);
    }
    expect(report.totalRows).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
  });

  it('writes the headers of the original files, misspellings included', () => {
    for (const t of TABLES) {
      const text = ds.raw[t].toString('utf8');
      expect(text.slice(0, text.search(/\r?\n/))).toBe(ORIGINAL_HEADERS[t]);
    }
  });

  it('parses back with the same number of fields in every record', () => {
    for (const t of TABLES) {
      const width = ds.header[t].length;
      expect(ds.rows[t].filter((r) => r.length !== width)).toEqual([]);
    }
  });

  it('starts the translations with a BOM and uses CRLF without a final newline', () => {
    const bytes = ds.raw.translations;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')).toHaveLength(72);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.endsWith('\r\n')).toBe(false);
    expect(ds.rows.translations).toContainEqual(['cama_mesa_banho', 'bed_bath_table']);
  });

  it('ends every reviews line with CRLF, also inside quoted multi-line comments', () => {
    const text = ds.raw.reviews.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text).toMatch(/,"[^"]*\r\n[^"]*",\d{4}-/);
    const multiLine = ds.rows.reviews.filter((r) => r[4].includes('\n'));
    expect(multiLine.length).toBeGreaterThan(0);
    for (const r of multiLine) expect(r[4].replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('uses LF line endings in the other files', () => {
    for (const t of TABLES.filter((t) => t !== 'reviews' && t !== 'translations')) {
      const text = ds.raw[t].toString('utf8');
      expect([t, text.includes('\r')]).toEqual([t, false]);
      expect(text.endsWith('\n')).toBe(true);
    }
  });

  it('quotes zip prefixes (5 characters) and every text field starting with a digit, and nothing else without need', () => {
    for (const t of ['customers', 'sellers', 'geolocation'] as const) {
      const lines = ds.raw[t].toString('utf8').split('\n').slice(1, -1);
      const zipColumn = t === 'customers' ? 2 : t === 'sellers' ? 1 : 0;
      for (const line of lines.slice(0, 500)) {
        const fields = line.split(',');
        expect(fields[zipColumn]).toMatch(/^"\d{5}"$/);
      }
    }
    const orderLines = ds.raw.orders.toString('utf8').split('\n').slice(1, -1);
    let quotedIds = 0;
    for (const line of orderLines) {
      const [orderId, customerId, status, purchase] = line.split(',');
      for (const id of [orderId, customerId]) {
        if (/^\d/.test(id.replace(/^"/, ''))) {
          expect(id).toMatch(/^"[0-9a-f]{32}"$/);
          quotedIds++;
        } else expect(id).toMatch(HEX_ID);
      }
      expect(status).toMatch(/^[a-z]+$/);
      expect(purchase).toMatch(TIMESTAMP);
    }
    expect(quotedIds).toBeGreaterThan(orderLines.length / 2);
  });

  it('writes ids as 32 lowercase hex characters, timestamps as YYYY-MM-DD HH:MM:SS and money with two decimals', () => {
    for (const r of ds.rows.orders) {
      expect(r[0]).toMatch(HEX_ID);
      for (const v of r.slice(3)) if (v) expect(v).toMatch(TIMESTAMP);
      expect(r[7]).toMatch(/ 00:00:00$/);
    }
    for (const r of ds.rows.items) {
      expect(r[4]).toMatch(TIMESTAMP);
      expect(r[5]).toMatch(MONEY);
      expect(r[6]).toMatch(MONEY);
    }
    for (const r of ds.rows.payments) expect(r[4]).toMatch(MONEY);
    for (const r of ds.rows.reviews) {
      expect(r[0]).toMatch(HEX_ID);
      expect(r[5]).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
      expect(r[6]).toMatch(TIMESTAMP);
    }
    expect(ds.rows.items.some((r) => r[5].endsWith('0'))).toBe(true);
  });

  it('keeps every foreign key valid and most zip prefixes in the geolocation file', () => {
    expect(integrityProblems(ds)).toEqual([]);
    const coverage = zipCoverage(ds);
    expect(coverage.customers).toBeGreaterThan(0.97);
    expect(coverage.sellers).toBeGreaterThan(0.9);
  });

  it("makes payments add up to the order's items, except a small share", () => {
    const totals = new Map<string, number>();
    for (const r of ds.rows.items) totals.set(r[0], (totals.get(r[0]) ?? 0) + Math.round(Number(r[5]) * 100) + Math.round(Number(r[6]) * 100));
    const paid = new Map<string, number>();
    for (const r of ds.rows.payments) paid.set(r[0], (paid.get(r[0]) ?? 0) + Math.round(Number(r[4]) * 100));
    const mismatched = [...totals].filter(([order, cents]) => paid.get(order) !== cents).length;
    expect(mismatched).toBeGreaterThan(0);
    expect(mismatched / totals.size).toBeLessThan(0.02);
  });

  it('contains the quirks of the real data', () => {
    const geoRows = ds.rows.geolocation.map((r) => r.join('\u0000'));
    const duplicateGeo = geoRows.length - new Set(geoRows).size;
    expect(duplicateGeo / geoRows.length).toBeGreaterThan(0.2);
    expect(duplicateGeo).toBe(report.quirks.duplicateRows);

    const withItems = new Set(ds.rows.items.map((r) => r[0]));
    const withoutItems = ds.rows.orders.filter((r) => !withItems.has(r[0]));
    expect(withoutItems.length).toBe(report.quirks.ordersWithoutItems);
    expect(withoutItems.length).toBeGreaterThan(0);

    const reviewIds = new Map<string, number>();
    for (const r of ds.rows.reviews) reviewIds.set(r[0], (reviewIds.get(r[0]) ?? 0) + 1);
    expect([...reviewIds.values()].filter((n) => n > 1).length).toBe(report.quirks.reviewIdsReused);
    expect(report.quirks.reviewIdsReused).toBeGreaterThan(0);

    const reviewsPerOrder = new Map<string, number>();
    for (const r of ds.rows.reviews) reviewsPerOrder.set(r[1], (reviewsPerOrder.get(r[1]) ?? 0) + 1);
    expect([...reviewsPerOrder.values()].filter((n) => n > 1).length).toBe(report.quirks.ordersWithSeveralReviews);

    expect(ds.rows.reviews.filter((r) => r[4].includes('\r\n')).length).toBe(report.quirks.multiLineComments);
    expect(ds.rows.reviews.some((r) => r[4].includes(','))).toBe(true);

    const delivered = ds.rows.orders.filter((r) => r[2] === 'delivered');
    expect(delivered.filter((r) => !r[4]).length).toBe(report.quirks.deliveredWithoutApproval);
    expect(delivered.filter((r) => r[5] && r[5] < r[3]).length).toBe(report.quirks.carrierBeforePurchase);
    expect(delivered.filter((r) => r[5] && r[6] && r[6] < r[5]).length).toBe(report.quirks.deliveredBeforeCarrier);
    expect(delivered.filter((r) => !r[6]).length).toBe(report.quirks.deliveredWithoutDeliveryDate);

    expect(ds.rows.products.filter((r) => !r[1]).length).toBe(report.quirks.productsWithoutCategory);
    expect(ds.rows.payments.filter((r) => r[2] === 'not_defined').length).toBe(report.quirks.paymentTypeNotDefined);
    expect(ds.rows.payments.filter((r) => r[3] === '0').length).toBe(report.quirks.zeroInstallments);
    expect(ds.rows.items.filter((r) => r[6] === '0.00').length).toBe(report.quirks.itemsWithZeroFreight);

    const uniqueIds = new Map<string, number>();
    for (const r of ds.rows.customers) uniqueIds.set(r[1], (uniqueIds.get(r[1]) ?? 0) + 1);
    expect([...uniqueIds.values()].filter((n) => n > 1).length).toBe(report.quirks.customerUniqueIdsWithSeveralIds);
  });

  it('reports progress up to every row', () => {
    expect(progress.length).toBeGreaterThan(2);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ stage: 'done', rowsWritten: report.totalRows, fraction: 1 });
    for (let i = 1; i < progress.length; i++) expect(progress[i].rowsWritten).toBeGreaterThanOrEqual(progress[i - 1].rowsWritten);
  });

  it('writes the same bytes for the same seed and scale, different ones for another seed', async () => {
    await generateOlistDataset({ outDir: join(root, 'b'), scale: 0.01, seed: 42 });
    await generateOlistDataset({ outDir: join(root, 'c'), scale: 0.01, seed: 43 });
    for (const t of TABLES) {
      const name = OLIST_FILES[t].name;
      expect(readFileSync(join(root, 'b', name)).equals(ds.raw[t])).toBe(true);
      if (t !== 'translations') expect([t, readFileSync(join(root, 'c', name)).equals(ds.raw[t])]).toEqual([t, false]);
    }
  });
});

describe('generateOlistDataset options', () => {
  it('rejects a scale that is not a positive number and a seed that is not an integer', async () => {
    await expect(generateOlistDataset({ outDir: join(tmpdir(), 'never'), scale: 0 })).rejects.toThrow(/scale/);
    await expect(generateOlistDataset({ outDir: join(tmpdir(), 'never'), seed: 1.5 })).rejects.toThrow(/seed/);
  });
});
