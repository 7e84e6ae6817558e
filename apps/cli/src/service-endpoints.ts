import { SERVICES, ServiceDescriptor, serviceEnv } from '@olist/service-kit';

export interface ServiceEndpoint {
  readonly service: ServiceDescriptor;
  readonly port: number;
  readonly url: string;
}

/** Where each service listens, from the same variables the services read. */
export function serviceEndpoints(env: NodeJS.ProcessEnv = process.env): ServiceEndpoint[] {
  const host = !env['HOST'] || env['HOST'] === '0.0.0.0' ? '127.0.0.1' : env['HOST'];
  return SERVICES.map((service) => {
    const port = Number(env[serviceEnv(service.name).port] || service.port);
    return { service, port, url: `http://${host}:${port}` };
  });
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly status: number | null;
  readonly checks: Record<string, unknown>;
  readonly error?: string;
}

/** GET /health/ready of one service, never throwing. */
export async function probeReadiness(url: string, timeoutMs = 2_000): Promise<ReadinessReport> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { details?: Record<string, unknown> };
    return { ready: response.status === 200, status: response.status, checks: body.details ?? {} };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ready: false, status: null, checks: {}, error: cause?.code ?? (error as Error).message };
  }
}
