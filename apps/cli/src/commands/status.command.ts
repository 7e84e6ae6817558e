import { messagingStatus, MessagingStatus } from '../messaging-status';
import { topologyFromEnv, withDatabase, withNats } from '../platform-clients';
import { printReconciliation, reconcile } from '../reconciliation';
import { probeReadiness, serviceEndpoints } from '../service-endpoints';

export interface StatusOptions {
  readonly json?: boolean;
}

/** `olist status`: the readiness of every service. Exit code 0 when all are ready, 1 otherwise. */
export async function statusCommand(options: StatusOptions, out: (line: string) => void = console.log): Promise<number> {
  const endpoints = serviceEndpoints();
  const reports = await Promise.all(endpoints.map(async (e) => ({ endpoint: e, report: await probeReadiness(e.url) })));
  const services = reports.map(({ endpoint, report }) => ({
    name: endpoint.service.name,
    url: endpoint.url,
    ready: report.ready,
    httpStatus: report.status,
    checks: report.checks,
    ...(report.error ? { error: report.error } : {}),
  }));
  const ready = services.every((s) => s.ready);
  const messaging = await withNats((_nc, jsm) => withDatabase((db) => messagingStatus(jsm, db, topologyFromEnv()))).catch(
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  const warehouseReady = services.find((s) => s.name === 'warehouse')?.ready ?? false;
  const reconciliation = warehouseReady ? await reconcile(endpoints) : undefined;
  if (options.json) {
    const m = 'error' in messaging ? { messagingError: messaging.error, caughtUp: false } : messaging;
    out(JSON.stringify({ ready, services, ...m, ...(reconciliation ? { reconciliation } : {}) }));
  } else {
    for (const s of services) {
      const state = s.ready ? 'ready' : s.httpStatus ? `not ready (${downChecks(s.checks)})` : `unreachable (${s.error})`;
      out(`${s.name.padEnd(12)} ${s.url.padEnd(24)} ${state}`);
    }
    out(ready ? 'all services ready' : 'some services are not ready');
    if ('error' in messaging) out(`messaging: ${messaging.error}`);
    else printMessaging(messaging, out);
    if (reconciliation) printReconciliation(reconciliation, out);
  }
  return ready ? 0 : 1;
}

function downChecks(checks: Record<string, unknown>): string {
  return Object.entries(checks)
    .filter(([, v]) => (v as { status?: string }).status !== 'up')
    .map(([k]) => `${k} down`)
    .join(', ');
}

function printMessaging(m: MessagingStatus, out: (line: string) => void): void {
  out('');
  for (const s of m.streams) out(`stream   ${s.name.padEnd(28)} ${s.messages} messages`);
  for (const c of m.consumers) out(`consumer ${`${c.stream}/${c.consumer}`.padEnd(48)} ${c.pending} pending`);
  const backlog = Object.entries(m.outboxBacklog).filter(([, n]) => n > 0);
  out(`outbox backlog: ${backlog.length ? backlog.map(([s, n]) => `${s} ${n}`).join(', ') : 'none'}`);
  out(`dead letters: ${m.deadLetters}${m.deadLetters ? ' (olist dead-letters)' : ''}`);
  if (m.marts) out(`warehouse marts: ${m.marts.fresh ? 'current' : 'to be rebuilt'} (built from ${m.marts.builtFrom} of ${m.marts.appliedEvents} applied events)`);
  if (m.segments) out(`customer segments: ${m.segments.toRecompute ? 'to be recomputed' : 'current'}`);
  out(m.caughtUp ? 'every consumer has caught up' : 'consumers are catching up');
}
