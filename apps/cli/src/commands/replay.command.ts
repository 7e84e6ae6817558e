import { headlineFigures, printReconciliation, reconcile } from '../reconciliation';
import { serviceEndpoints } from '../service-endpoints';
import { waitForConsumers } from './load.command';

export interface ReplayOptions {
  readonly json?: boolean;
  readonly waitTimeoutMs?: number;
}

/**
 * `olist replay`: the warehouse empties core and mart and reads every context's stream again from
 * the first event; returns when it has caught up, with the headline figures and the
 * reconciliation against the contexts. Exit code 0 only when both are good.
 */
export async function replayCommand(options: ReplayOptions, out: (line: string) => void = console.log): Promise<number> {
  const endpoints = serviceEndpoints();
  const warehouse = endpoints.find((e) => e.service.name === 'warehouse');
  if (!warehouse) throw new Error('the service catalog has no warehouse');
  const started = Date.now();
  const log = options.json ? undefined : out;
  try {
    const response = await fetch(`${warehouse.url}/replay`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    out(options.json ? JSON.stringify({ replayed: false, error: `warehouse at ${warehouse.url}: ${reason}` }) : `✗ replay: the warehouse at ${warehouse.url} did not accept it (${reason}); is the platform up (npx olist up)?`);
    return 1;
  }
  log?.('replaying every context stream into the warehouse…');
  const waited = await waitForConsumers(options.waitTimeoutMs ?? 600_000, log);
  const seconds = (Date.now() - started) / 1000;
  const reconciliation = await reconcile(endpoints);
  const figures = waited.caughtUp ? await headlineFigures(endpoints).catch(() => undefined) : undefined;
  if (options.json) {
    out(JSON.stringify({ replayed: true, caughtUp: waited.caughtUp, ...(waited.reason ? { reason: waited.reason } : {}), seconds, figures, reconciliation }));
  } else {
    if (!waited.caughtUp) out(`✗ ${waited.reason}`);
    else out(`replayed in ${seconds.toFixed(1)} s`);
    if (figures) out(formatHeadline(figures));
    printReconciliation(reconciliation, out);
  }
  return waited.caughtUp && reconciliation.ok ? 0 : 1;
}

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });

export function formatHeadline(f: { orders: number; gmv: string; lateRate: number; delivered: number }): string {
  return `orders ${f.orders.toLocaleString('en-US')}, GMV ${brl.format(Number(f.gmv))}, late deliveries ${(100 * f.lateRate).toFixed(1)}% of ${f.delivered.toLocaleString('en-US')} delivered`;
}
