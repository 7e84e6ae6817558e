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
  if (options.json) {
    out(JSON.stringify({ ready, services }));
  } else {
    for (const s of services) {
      const state = s.ready ? 'ready' : s.httpStatus ? `not ready (${downChecks(s.checks)})` : `unreachable (${s.error})`;
      out(`${s.name.padEnd(12)} ${s.url.padEnd(24)} ${state}`);
    }
    out(ready ? 'all services ready' : 'some services are not ready');
  }
  return ready ? 0 : 1;
}

function downChecks(checks: Record<string, unknown>): string {
  return Object.entries(checks)
    .filter(([, v]) => (v as { status?: string }).status !== 'up')
    .map(([k]) => `${k} down`)
    .join(', ');
}
