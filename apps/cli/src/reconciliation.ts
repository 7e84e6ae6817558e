import { serviceEndpoints, type ServiceEndpoint } from './service-endpoints';

export interface ReconciliationCheck {
  /** What is compared, e.g. `revenue_monthly.gmv = sales gmv`. */
  readonly name: string;
  readonly context: string | number;
  readonly warehouse: string | number;
  readonly ok: boolean;
}

export interface Reconciliation {
  readonly ok: boolean;
  /** The marts reflect every event the warehouse has applied. */
  readonly fresh: boolean;
  readonly checks: ReconciliationCheck[];
  readonly error?: string;
}

interface WarehouseReport {
  progress: { fresh: boolean };
  figures: Record<string, string | number> & { segments?: Record<string, number> };
}

async function getJson<T>(endpoints: ServiceEndpoint[], service: string, path: string): Promise<T> {
  const endpoint = endpoints.find((e) => e.service.name === service);
  if (!endpoint) throw new Error(`no endpoint for ${service}`);
  const response = await fetch(`${endpoint.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${service} ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/**
 * Compares sums over the warehouse's marts with the same sums the contexts compute from their own
 * schemas, exactly (money as decimal strings, to the centavo).
 */
export async function reconcile(endpoints: ServiceEndpoint[] = serviceEndpoints()): Promise<Reconciliation> {
  try {
    const [warehouse, sales, customer] = await Promise.all([
      getJson<WarehouseReport>(endpoints, 'warehouse', '/reconciliation'),
      getJson<Record<string, string | number>>(endpoints, 'sales', '/totals'),
      getJson<{ total: number; segments: Record<string, number> }>(endpoints, 'customer', '/segments').catch(() => null),
    ]);
    const w = warehouse.figures;
    const check = (name: string, context: string | number | undefined, value: string | number | undefined): ReconciliationCheck => ({
      name,
      context: context ?? '-',
      warehouse: value ?? '-',
      ok: context !== undefined && String(context) === String(value),
    });
    const checks = [
      check('revenue_monthly.orders = sales placed orders', sales['orders'], w['orders']),
      check('revenue_monthly.items = sales items', sales['items'], w['items']),
      check('revenue_monthly.price = sales item prices', sales['price'], w['price']),
      check('revenue_monthly.freight = sales freight', sales['freight'], w['freight']),
      check('revenue_monthly.gmv = sales price + freight', sales['gmv'], w['gmv']),
      check('revenue_monthly.payments = sales payments', sales['payments'], w['payments']),
      check('payment_mix.value = sales payments', sales['payments'], w['paymentMix']),
      check('seller_scorecard.revenue = sales item prices', sales['price'], w['sellerRevenue']),
      check('category_revenue_monthly.gmv = sales price + freight', sales['gmv'], w['categoryGmv']),
      check('delivery_by_state.delivered = sales delivered orders', sales['delivered'], w['delivered']),
      ...(customer ? [check('customer_segments.customers = customer persons', customer.total, w['customers'])] : []),
      ...(customer ? segmentChecks(customer.segments, w.segments ?? {}).map(([segment, c, wh]) => check(`customer_segments[${segment}] = customer persons ${segment}`, c, wh)) : []),
    ];
    return { ok: checks.every((c) => c.ok), fresh: warehouse.progress.fresh, checks };
  } catch (error) {
    return { ok: false, fresh: false, checks: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** Persons per segment on both sides, every segment either side knows (absent = 0). */
function segmentChecks(context: Record<string, number>, warehouse: Record<string, number>): [string, number, number][] {
  const segments = [...new Set([...Object.keys(context), ...Object.keys(warehouse)])].sort();
  return segments.map((s) => [s, context[s] ?? 0, warehouse[s] ?? 0]);
}

/** Orders, GMV and late rate from the warehouse's reconciliation figures. */
export async function headlineFigures(endpoints: ServiceEndpoint[] = serviceEndpoints()) {
  const { figures } = await getJson<WarehouseReport>(endpoints, 'warehouse', '/reconciliation');
  const delivered = Number(figures['delivered'] ?? 0);
  const late = Number(figures['late'] ?? 0);
  return {
    orders: Number(figures['orders'] ?? 0),
    gmv: String(figures['gmv'] ?? '0.00'),
    payments: String(figures['payments'] ?? '0.00'),
    delivered,
    late,
    lateRate: delivered === 0 ? 0 : late / delivered,
  };
}

export function printReconciliation(r: Reconciliation, out: (line: string) => void): void {
  if (r.error) {
    out(`reconciliation: not available (${r.error})`);
    return;
  }
  out(`reconciliation: ${r.ok ? 'marts equal the contexts' : 'MISMATCH'}${r.fresh ? '' : ' (marts are being rebuilt)'}`);
  for (const c of r.checks) out(`  ${c.ok ? '✓' : '✗'} ${c.name.padEnd(56)} ${String(c.context).padStart(16)} ${String(c.warehouse).padStart(16)}`);
}
