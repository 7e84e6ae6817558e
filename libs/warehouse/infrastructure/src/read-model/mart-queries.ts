import { err, ok, UF, type DomainError, type Result } from '@olist/shared-kernel';

/** Anything that runs SQL: a DataSource, a pg client. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export type MartFilter = 'from' | 'to' | 'state' | 'category' | 'seller';

interface MartSpec {
  readonly description: string;
  readonly columns: readonly string[];
  /** Which filters apply, and to which column. `from`/`to` compare months (YYYY-MM). */
  readonly filters: Partial<Record<MartFilter, string>>;
  readonly orderBy: string;
}

/** The marts the query API serves, with the filters each one understands. */
export const MARTS = {
  revenue_monthly: {
    description: 'Orders, items, price, freight, GMV, payments and AOV per purchase month',
    columns: ['month', 'orders', 'items', 'price', 'freight', 'gmv', 'payments', 'aov'],
    filters: { from: 'month', to: 'month' },
    orderBy: 'month',
  },
  category_revenue_monthly: {
    description: 'Orders, items, price, freight and GMV per purchase month and product category',
    columns: ['month', 'category', 'category_en', 'orders', 'items', 'price', 'freight', 'gmv'],
    filters: { from: 'month', to: 'month', category: 'category' },
    orderBy: 'month, category',
  },
  delivery_by_state: {
    description: 'Delivered orders, late deliveries, late rate and average delivery days per customer state',
    columns: ['state', 'delivered', 'late', 'late_rate', 'avg_delivery_days'],
    filters: { state: 'state' },
    orderBy: 'state',
  },
  seller_scorecard: {
    description: 'Per seller: orders, items, revenue, freight, deliveries, late rate, delivery days and review score',
    columns: ['seller_id', 'state', 'orders', 'items', 'revenue', 'freight', 'delivered', 'late', 'late_rate', 'avg_delivery_days', 'reviews', 'avg_review_score', 'first_sale', 'last_sale'],
    filters: { state: 'state', seller: 'seller_id' },
    orderBy: 'revenue DESC, seller_id',
  },
  payment_mix: {
    description: 'Payments, orders, value and average installments per purchase month and payment type',
    columns: ['month', 'payment_type', 'payments', 'orders', 'value', 'avg_installments'],
    filters: { from: 'month', to: 'month' },
    orderBy: 'month, payment_type',
  },
  reviews_vs_delay: {
    description: 'Review score of delivered orders by days of delivery delay',
    columns: ['bucket', 'bucket_order', 'min_delay_days', 'max_delay_days', 'orders', 'reviews', 'avg_score', 'low_score_share'],
    filters: {},
    orderBy: 'bucket_order',
  },
  customer_segments: {
    description: 'Customers, orders and monetary value per customer state and segment',
    columns: ['state', 'segment', 'customers', 'orders', 'monetary'],
    filters: { state: 'state' },
    orderBy: 'state, segment',
  },
  rfm: {
    description: 'Recency, frequency and monetary value per customer, with quintile scores',
    columns: ['customer_unique_id', 'state', 'last_order_at', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_cell'],
    filters: { state: 'state' },
    orderBy: 'monetary DESC, customer_unique_id',
  },
  cohort_retention: {
    description: 'Share of each first-purchase cohort that ordered again N months later',
    columns: ['cohort', 'months_since', 'cohort_size', 'customers', 'retention'],
    filters: { from: 'cohort', to: 'cohort' },
    orderBy: 'cohort, months_since',
  },
} as const satisfies Record<string, MartSpec>;

export type MartName = keyof typeof MARTS;
export const MART_NAMES = Object.keys(MARTS) as MartName[];

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

/** A query as it arrives (query string or request-reply payload): every value a string or absent. */
export type RawMartQuery = Partial<Record<MartFilter | 'limit' | 'offset', unknown>>;

export interface MartQuery {
  readonly mart: MartName;
  readonly filters: Partial<Record<MartFilter, string>>;
  readonly limit: number;
  readonly offset: number;
}

export interface MartPage {
  readonly mart: MartName;
  readonly filters: Partial<Record<MartFilter, string>>;
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly rows: Record<string, unknown>[];
}

const invalid = (message: string): Result<never, DomainError> => err({ code: 'MART_QUERY.INVALID', message });

/** Every parameter a mart query may have (each mart accepts its own filters of these). */
const QUERY_PARAMETERS: ReadonlySet<string> = new Set(['from', 'to', 'state', 'category', 'seller', 'limit', 'offset']);

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?$/;

/** Checks a query against the mart's filters; every refusal names the parameter and what it accepts (an unknown parameter too). */
export function parseMartQuery(mart: string, raw: RawMartQuery): Result<MartQuery, DomainError> {
  if (!(mart in MARTS)) return err({ code: 'MART_QUERY.UNKNOWN_MART', message: `unknown mart "${mart}"; marts: ${MART_NAMES.join(', ')}` });
  const name = mart as MartName;
  const spec: MartSpec = MARTS[name];
  const unknown = Object.keys(raw).find((key) => !QUERY_PARAMETERS.has(key));
  if (unknown !== undefined) {
    return invalid(`unknown parameter "${unknown}": mart ${name} accepts ${[...Object.keys(spec.filters), 'limit', 'offset'].join(', ')}`);
  }
  const filters: Partial<Record<MartFilter, string>> = {};
  for (const key of ['from', 'to', 'state', 'category', 'seller'] as const) {
    const value = raw[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') return invalid(`${key} must be a string`);
    if (!(key in spec.filters)) {
      const supported = Object.keys(spec.filters);
      return invalid(`mart ${name} cannot be filtered by ${key} (${supported.length ? `it accepts ${supported.join(', ')}` : 'it accepts no filter'})`);
    }
    if (key === 'from' || key === 'to') {
      const m = MONTH.exec(value);
      if (!m) return invalid(`${key} must be a month YYYY-MM or a date YYYY-MM-DD, got "${value}"`);
      filters[key] = `${m[1]}-${m[2]}`;
    } else if (key === 'state') {
      const state = value.trim().toUpperCase();
      if (!UF.is(state)) return invalid(`state must be a Brazilian state code such as SP, got "${value}"`);
      filters.state = state;
    } else {
      filters[key] = value.trim();
    }
  }
  if (filters.from && filters.to && filters.from > filters.to) return invalid(`from (${filters.from}) is after to (${filters.to})`);
  const limit = integer(raw.limit, DEFAULT_LIMIT);
  if (limit === null || limit < 1 || limit > MAX_LIMIT) return invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  const offset = integer(raw.offset, 0);
  if (offset === null || offset < 0) return invalid('offset must be a non-negative integer');
  return ok({ mart: name, filters, limit, offset });
}

function integer(value: unknown, fallback: number): number | null {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** Money and rates as decimal strings (exact), counts as numbers, dates as ISO text. */
function present(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value instanceof Date ? value.toISOString().slice(0, key.endsWith('_at') ? 19 : 10) : value;
  }
  return out;
}

export class MartQueries {
  constructor(private readonly db: SqlRunner) {}

  catalog() {
    return MART_NAMES.map((name) => {
      const spec: MartSpec = MARTS[name];
      return { name, description: spec.description, columns: spec.columns, filters: Object.keys(spec.filters) };
    });
  }

  async page(query: MartQuery): Promise<MartPage> {
    const spec: MartSpec = MARTS[query.mart];
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [filter, value] of Object.entries(query.filters) as [MartFilter, string][]) {
      const column = spec.filters[filter] as string;
      params.push(value);
      where.push(filter === 'from' ? `${column} >= $${params.length}` : filter === 'to' ? `${column} <= $${params.length}` : `${column} = $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mart.${query.mart} ${clause}`, params);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${spec.columns.join(', ')} FROM mart.${query.mart} ${clause} ORDER BY ${spec.orderBy}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { mart: query.mart, filters: query.filters, total: count?.n ?? 0, limit: query.limit, offset: query.offset, rows: rows.map(present) };
  }

  /**
   * The warehouse's side of the reconciliation: sums over the marts, money as decimal strings.
   * The contexts report the same figures from their own schemas.
   */
  async reconciliationFigures(): Promise<WarehouseFigures> {
    const [row] = await this.db.query<Record<string, unknown>>(`
      SELECT (SELECT coalesce(sum(orders), 0)::int FROM mart.revenue_monthly) AS orders,
             (SELECT coalesce(sum(items), 0)::int FROM mart.revenue_monthly) AS items,
             (SELECT coalesce(sum(price), 0)::numeric(16,2)::text FROM mart.revenue_monthly) AS price,
             (SELECT coalesce(sum(freight), 0)::numeric(16,2)::text FROM mart.revenue_monthly) AS freight,
             (SELECT coalesce(sum(gmv), 0)::numeric(16,2)::text FROM mart.revenue_monthly) AS gmv,
             (SELECT coalesce(sum(payments), 0)::numeric(16,2)::text FROM mart.revenue_monthly) AS payments,
             (SELECT coalesce(sum(value), 0)::numeric(16,2)::text FROM mart.payment_mix) AS "paymentMix",
             (SELECT coalesce(sum(revenue), 0)::numeric(16,2)::text FROM mart.seller_scorecard) AS "sellerRevenue",
             (SELECT coalesce(sum(gmv), 0)::numeric(16,2)::text FROM mart.category_revenue_monthly) AS "categoryGmv",
             (SELECT coalesce(sum(delivered), 0)::int FROM mart.delivery_by_state) AS delivered,
             (SELECT coalesce(sum(late), 0)::int FROM mart.delivery_by_state) AS late,
             (SELECT coalesce(sum(customers), 0)::int FROM mart.customer_segments) AS customers,
             (SELECT coalesce(jsonb_object_agg(segment, n), '{}'::jsonb)
                FROM (SELECT segment, sum(customers)::int AS n FROM mart.customer_segments GROUP BY segment) s) AS segments`);
    const r = (row ?? {}) as Record<string, unknown>;
    const money = (v: unknown) => String(v ?? '0.00');
    return {
      orders: Number(r['orders'] ?? 0),
      items: Number(r['items'] ?? 0),
      price: money(r['price']),
      freight: money(r['freight']),
      gmv: money(r['gmv']),
      payments: money(r['payments']),
      paymentMix: money(r['paymentMix']),
      sellerRevenue: money(r['sellerRevenue']),
      categoryGmv: money(r['categoryGmv']),
      delivered: Number(r['delivered'] ?? 0),
      late: Number(r['late'] ?? 0),
      customers: Number(r['customers'] ?? 0),
      segments: (r['segments'] ?? {}) as Record<string, number>,
    };
  }
}

export interface WarehouseFigures {
  orders: number;
  items: number;
  price: string;
  freight: string;
  gmv: string;
  payments: string;
  paymentMix: string;
  sellerRevenue: string;
  categoryGmv: string;
  delivered: number;
  late: number;
  customers: number;
  /** Persons per segment (`NEW` for those without one yet). */
  segments: Record<string, number>;
}
