import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ORDER_PLACED_V1 } from '@olist/sales-contracts';
import { SERVICES, serviceEnv, serviceRole } from '@olist/service-kit';
import { OwnNatsServer, TestDatabase, createTestDatabase, freePort, parsePrometheusText } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
jest.setTimeout(120_000);

/**
 * The whole platform as a user starts it (`olist up --no-load`), against a scratch database and
 * a nats-server of the test's own, on free ports.
 */
describe('olist up: the seven services', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let env: NodeJS.ProcessEnv;
  let cli: Spawned;
  let logDir: string;
  const urls = new Map<string, string>();

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('platform'), OwnNatsServer.start()]);
    const ports: Record<string, string> = {};
    for (const s of SERVICES) {
      const port = await freePort();
      ports[serviceEnv(s.name).port] = String(port);
      urls.set(s.name, `http://127.0.0.1:${port}`);
    }
    logDir = mkdtempSync(path.join(tmpdir(), 'olist-e2e-logs-'));
    env = cleanEnv({ ...ports, DATABASE_URL: db.url, NATS_URL: nats.url, LOG_LEVEL: 'debug', OLIST_LOG_DIR: logDir });
    cli = Spawned.node(['bin/olist.js', 'up', '--no-load'], env);
    await cli.waitFor('Olist platform is up', 90_000);
  });

  afterAll(async () => {
    if (cli?.child.exitCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
    await nats?.dispose();
    await db?.drop();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  it('prints every service URL', () => {
    for (const url of urls.values()) expect(cli.output).toContain(url);
  });

  it('has every service answer /health/ready 200 with Postgres and NATS up', async () => {
    for (const [name, url] of urls) {
      const response = await fetch(`${url}/health/ready`);
      const body = (await response.json()) as { details: Record<string, { status: string }> };
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      expect(body.details['postgres']!.status).toBe('up');
      expect(body.details['nats']!.status).toBe('up');
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
    }
  });

  it('serves valid Prometheus text with process metrics and the HTTP histogram', async () => {
    for (const [name, url] of urls) {
      await fetch(`${url}/health/live`);
      const response = await fetch(`${url}/metrics`);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const { problems, samples } = parsePrometheusText(await response.text());
      expect({ name, problems }).toEqual({ name, problems: [] });
      expect(samples.get('process_resident_memory_bytes')?.[0]?.labels['service']).toBe(name);
      const live = samples
        .get('http_request_duration_seconds_count')
        ?.find((s) => s.labels['route'] === '/health/live' && s.labels['status_code'] === '200');
      expect(live?.value).toBeGreaterThanOrEqual(1);
    }
  });

  it('echoes the correlation id and writes it into the JSON log', async () => {
    const url = urls.get('sales')!;
    const response = await fetch(`${url}/health/live`, { headers: { 'x-correlation-id': 'e2e-corr-7' } });
    expect(response.headers.get('x-correlation-id')).toBe('e2e-corr-7');
    await new Promise((r) => setTimeout(r, 300));
    const lines = readFileSync(path.join(logDir, 'sales.log'), 'utf8').trim().split('\n');
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['correlationId'] === 'e2e-corr-7');
    expect(entry).toMatchObject({ service: 'sales', correlationId: 'e2e-corr-7', level: 'debug' });
  });

  it('has each service migrate its own schemas, owned by its own role', async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ schema: string; owner: string }>(
        `SELECT n.nspname AS schema, r.rolname AS owner FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
          WHERE r.rolname LIKE 'olist\\_%'`,
      );
      const owners = Object.fromEntries(rows.map((r) => [r.schema, r.owner]));
      for (const s of SERVICES) for (const schema of s.schemas) expect(owners[schema]).toBe(serviceRole(s.name));
      const { rows: tables } = await admin.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name IN ('migrations', 'outbox', 'inbox', 'dead_letter')`,
      );
      for (const s of SERVICES) {
        const own = tables.filter((t) => t.table_schema === s.schemas[0]).map((t) => t.table_name).sort();
        expect({ service: s.name, tables: own }).toEqual({ service: s.name, tables: ['dead_letter', 'inbox', 'migrations', 'outbox'] });
      }
    } finally {
      await admin.end();
    }
  });

  it("denies every service role access to every other service's schemas", async () => {
    const denied: string[] = [];
    for (const s of SERVICES) {
      const client = new Client({ connectionString: db.urlAs(serviceRole(s.name)) });
      await client.connect();
      try {
        await client.query(`SELECT count(*) FROM "${s.schemas[0]}".migrations`);
        for (const other of SERVICES.filter((o) => o.name !== s.name)) {
          for (const schema of other.schemas) {
            const error = await client.query(`SELECT * FROM "${schema}".migrations LIMIT 1`).then(
              () => undefined,
              (e: { code?: string }) => e,
            );
            if (error?.code === '42501') denied.push(`${s.name}->${schema}`);
            else expect(`${s.name} reading ${schema}: ${error?.code ?? 'allowed'}`).toBe(`${s.name} reading ${schema}: 42501`);
          }
        }
      } finally {
        await client.end();
      }
    }
    const schemaCount = SERVICES.flatMap((s) => s.schemas).length;
    expect(denied).toHaveLength(SERVICES.length * schemaCount - schemaCount);
  });

  it('reports status as JSON', async () => {
    const { stdout } = await run(process.execPath, ['bin/olist.js', 'status', '--json'], { cwd: ROOT, env });
    const status = JSON.parse(stdout) as { ready: boolean; services: { name: string; ready: boolean }[] };
    expect(status.ready).toBe(true);
    expect(status.services.map((s) => s.name).sort()).toEqual(SERVICES.map((s) => s.name).sort());
  });

  it("publishes a service's outbox to its stream, where `olist tap` reads it without a durable consumer", async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    const id = '6f1c1d1e-0000-4000-8000-000000000001';
    const envelope = {
      id,
      type: 'sales.order-placed',
      version: 1,
      occurredAt: '2017-10-02T10:56:33.000Z',
      recordedAt: new Date().toISOString(),
      aggregateId: 'e481f51cbdc54678b7cc49136f2d6af7',
      correlationId: 'e2e-tap',
      causationId: null,
      // The contract's example: a valid order-placed that the customer and warehouse consumers of OLIST_SALES apply.
      payload: ORDER_PLACED_V1.example,
    };
    try {
      await admin.query(
        `INSERT INTO sales.outbox (id, subject, type, version, aggregate_id, correlation_id, envelope)
         VALUES ($1, 'olist.sales.order-placed.v1', 'sales.order-placed', 1, $2, 'e2e-tap', $3)`,
        [id, envelope.aggregateId, JSON.stringify(envelope)],
      );
      await admin.query(`NOTIFY olist_outbox_sales`);
    } finally {
      await admin.end();
    }
    const { stdout } = await run(
      process.execPath,
      ['bin/olist.js', 'tap', 'olist.sales.>', '--from-start', '--json', '--limit', '1', '--idle', '10'],
      { cwd: ROOT, env },
    );
    const line = JSON.parse(stdout.trim().split('\n')[0]!) as { subject: string; message: typeof envelope };
    expect(line.subject).toBe('olist.sales.order-placed.v1');
    expect(line.message).toEqual(envelope);

    type Status = {
      streams: { name: string; messages: number }[];
      consumers: unknown[];
      caughtUp: boolean;
      deadLetters: number;
      outboxBacklog: Record<string, number>;
    };
    // The consumers of OLIST_SALES apply the event and the warehouse rebuilds its marts: poll until caught up.
    let status: Status;
    const deadline = Date.now() + 30_000;
    do {
      status = JSON.parse((await run(process.execPath, ['bin/olist.js', 'status', '--json'], { cwd: ROOT, env })).stdout) as Status;
    } while (!status.caughtUp && Date.now() < deadline);
    expect(status.streams.find((s) => s.name === 'OLIST_SALES')?.messages).toBe(1);
    const durable = (stream: string, names: string[]) => names.map((consumer) => ({ consumer, pending: 0, stream }));
    expect(status.consumers).toEqual([
      ...durable('OLIST_SALES', ['customer-sales-order-cancelled', 'customer-sales-order-placed', 'warehouse-sales']),
      ...durable('OLIST_FULFILLMENT', ['warehouse-fulfillment']),
      ...durable('OLIST_MARKETPLACE', ['warehouse-marketplace']),
      ...durable('OLIST_CUSTOMER', ['warehouse-customer']),
      ...durable('OLIST_QUALITY', ['warehouse-quality']),
      ...durable('OLIST_IMPORT', [
        'customer-import-customers',
        'customer-import-reviews',
        'fulfillment-import-customers',
        'fulfillment-import-geolocation',
        'fulfillment-import-items',
        'fulfillment-import-orders',
        'fulfillment-import-sellers',
        'marketplace-import-categories',
        'marketplace-import-products',
        'marketplace-import-sellers',
        'sales-import-items',
        'sales-import-orders',
        'sales-import-payments',
        'warehouse-geolocation',
      ]),
    ]);
    expect(status.outboxBacklog['sales']).toBe(0);
    expect(status).toMatchObject({ caughtUp: true, deadLetters: 0 });
  });

  it('lists dead letters and reports a re-drive nobody picks up', async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query(
        `INSERT INTO customer.dead_letter (consumer, stream, subject, stream_seq, event_id, data, deliveries, last_error)
         VALUES ('customer-sales-events', 'OLIST_SALES', 'olist.sales.order-placed.v1', 7, 'evt-7', '\\x7b7d', 5, 'order not found')`,
      );
    } finally {
      await admin.end();
    }
    const listed = JSON.parse((await run(process.execPath, ['bin/olist.js', 'dead-letters', '--json'], { cwd: ROOT, env })).stdout);
    expect(listed.deadLetters).toEqual([
      expect.objectContaining({ id: 'customer:1', consumer: 'customer-sales-events', streamSequence: 7, deliveries: 5, lastError: 'order not found' }),
    ]);
    const status = JSON.parse((await run(process.execPath, ['bin/olist.js', 'status', '--json'], { cwd: ROOT, env })).stdout);
    expect(status.deadLetters).toBe(1);

    const unknown = await run(process.execPath, ['bin/olist.js', 'dead-letters', 'redrive', 'customer:99'], { cwd: ROOT, env }).catch((e) => e);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('dead letter customer:99 does not exist or was already re-driven');
    const pending = await run(process.execPath, ['bin/olist.js', 'dead-letters', 'redrive', 'customer:1', '--timeout', '2.5'], { cwd: ROOT, env }).catch((e) => e);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toContain('customer did not pick up the request in time');
  });

  it('turns every service not ready within 5 s of NATS stopping, and ready again when it returns', async () => {
    await nats.stop();
    const stoppedAt = Date.now();
    const notReadyAfter = await Promise.all(
      [...urls.values()].map(async (url) => {
        while (Date.now() - stoppedAt < 10_000) {
          const response = await fetch(`${url}/health/ready`).catch(() => undefined);
          if (response?.status === 503) return Date.now() - stoppedAt;
          await new Promise((r) => setTimeout(r, 100));
        }
        return Infinity;
      }),
    );
    expect(Math.max(...notReadyAfter)).toBeLessThan(5_000);
    const { stdout } = await run(process.execPath, ['bin/olist.js', 'status', '--json'], { cwd: ROOT, env }).catch(
      (e: { stdout: string; code: number }) => {
        expect(e.code).toBe(1);
        return e;
      },
    );
    expect(JSON.parse(stdout).ready).toBe(false);

    await nats.resume();
    const back = Date.now();
    for (const url of urls.values()) {
      while ((await fetch(`${url}/health/ready`)).status !== 200) {
        if (Date.now() - back > 20_000) throw new Error(`${url} did not become ready again`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  it('stops every service cleanly on Ctrl-C', async () => {
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.output).toContain('all services stopped');
    for (const s of SERVICES) expect(cli.output).not.toContain(`${s.name} exited unexpectedly`);
    for (const url of urls.values()) await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
