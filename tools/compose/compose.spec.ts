// Keeps the deployment files in line with the services catalog: docker-compose.yml, the Prometheus scrape
// targets, the Grafana dashboard's datasource and jobs, and the Kubernetes manifests.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SERVICE_NODE_ARGS } from '@olist/service-kit';

const root = resolve(__dirname, '../..');

interface CatalogEntry {
  readonly name: string;
  readonly port: number;
}

type Json = Record<string, unknown>;

const read = (rel: string): string => readFileSync(join(root, rel), 'utf8');
// Compose files rely on `<<` merge keys (x-* anchors), which YAML 1.2 only resolves when asked to.
const readYaml = (rel: string): Json => parse(read(rel), { merge: true }) as Json;

const catalog: CatalogEntry[] = JSON.parse(read('libs/service-kit/src/catalog/services.json'));
const compose = readYaml('docker-compose.yml');
const composeServices = (compose['services'] ?? {}) as Record<string, Json>;
const prometheus = readYaml('deploy/prometheus/prometheus.yml');

const INFRASTRUCTURE = ['postgres', 'nats', 'infra', 'prometheus', 'grafana'];
/** The services that seal (quality) or unseal (customer, fulfillment) personal data on the raw feed. */
const FEED_KEY_SERVICES = ['quality', 'customer', 'fulfillment'];
const portVar = (name: string): string => `${name.toUpperCase()}_PORT`;
const mainPath = (name: string): string => `dist/apps/${name}/src/main.js`;
/** How every service process is started (the same V8 options as `olist up`). */
const serviceCommand = (name: string): string => ['node', ...SERVICE_NODE_ARGS, mainPath(name)].join(' ');

/** `command` may be a string or a list. */
function commandLine(service: Json): string {
  const command = service['command'];
  return Array.isArray(command) ? command.join(' ') : String(command ?? '');
}

/** `environment` may be a map or a list of KEY=VALUE strings. */
function environmentOf(service: Json): Record<string, string> {
  const env = service['environment'];
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries((env ?? {}) as Json).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Short ("[ip:]published:target[/proto]") and long port syntax, reduced to published/target numbers. */
function portsOf(service: Json): { published: number; target: number }[] {
  const ports = (service['ports'] ?? []) as unknown[];
  return ports.map((entry) => {
    if (typeof entry === 'object' && entry !== null) {
      const long = entry as Json;
      return { published: Number(long['published']), target: Number(long['target']) };
    }
    const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts[parts.length - 1]);
    return { published: parts.length > 1 ? Number(parts[parts.length - 2]) : NaN, target };
  });
}

/** `depends_on` may be a list of names or a map of name → { condition }. */
function dependsOn(service: Json): Record<string, string> {
  const deps = service['depends_on'];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d: string) => [d, 'service_started']));
  return Object.fromEntries(
    Object.entries((deps ?? {}) as Record<string, Json | null>).map(([k, v]) => [k, String(v?.['condition'] ?? 'service_started')]),
  );
}

/** Every value stored under `key` anywhere inside a JSON document. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, key));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === key ? [v, ...valuesOf(v, key)] : valuesOf(v, key)));
}

describe('services catalog', () => {
  it('is non-empty with unique names and ports', () => {
    expect(catalog.length).toBeGreaterThan(0);
    expect(new Set(catalog.map((s) => s.name)).size).toBe(catalog.length);
    expect(new Set(catalog.map((s) => s.port)).size).toBe(catalog.length);
  });
});

describe('docker-compose.yml', () => {
  const postgresEnv = environmentOf(composeServices['postgres'] ?? {});

  it('defines the infrastructure services', () => {
    for (const name of INFRASTRUCTURE) expect(Object.keys(composeServices)).toContain(name);
    expect(String(composeServices['postgres']['image'])).toMatch(/^postgres:16\b/);
    expect(String(composeServices['nats']['image'])).toMatch(/^nats:2\.10\b/);
    expect(commandLine(composeServices['nats'])).toMatch(/(^|\s)-js(\s|$)/);
  });

  it('provisions the database once before the services start', () => {
    const infra = composeServices['infra'];
    expect(commandLine(infra)).toBe('node tools/infra/ensure.js --no-install');
    expect(dependsOn(infra)).toEqual({ postgres: 'service_healthy', nats: 'service_started' });
    const env = environmentOf(infra);
    expect(new URL(env['DATABASE_URL']).hostname).toBe('postgres');
    expect(new URL(env['NATS_URL']).hostname).toBe('nats');
  });

  it('gives every service that seals or unseals the raw feed the same OLIST_FEED_KEYS', () => {
    const values = FEED_KEY_SERVICES.map((name) => environmentOf(composeServices[name] ?? {})['OLIST_FEED_KEYS']);
    expect(values.every((v) => v !== undefined)).toBe(true);
    expect(new Set(values).size).toBe(1);
  });

  it('has no application service missing from the catalog', () => {
    const known = new Set([...INFRASTRUCTURE, ...catalog.map((s) => s.name)]);
    expect(Object.keys(composeServices).filter((name) => !known.has(name))).toEqual([]);
  });

  describe.each(catalog)('service $name', ({ name, port }) => {
    const service = composeServices[name];

    it('exists and runs the compiled entry point', () => {
      expect(service).toBeDefined();
      expect(commandLine(service)).toBe(serviceCommand(name));
      expect(service['build']).toBeDefined();
    });

    it(`publishes port ${port}`, () => {
      expect(portsOf(service)).toContainEqual({ published: port, target: port });
    });

    it('is configured for the container network', () => {
      const env = environmentOf(service);
      expect(env[portVar(name)]).toBe(String(port));
      expect(env['HOST']).toBe('0.0.0.0');

      const db = new URL(env['DATABASE_URL']);
      expect(db.protocol).toBe('postgres:');
      expect(db.hostname).toBe('postgres');
      expect(db.port === '' || db.port === '5432').toBe(true);
      expect(db.pathname).toBe(`/${postgresEnv['POSTGRES_DB']}`);

      const nats = new URL(env['NATS_URL']);
      expect(nats.protocol).toBe('nats:');
      expect(nats.hostname).toBe('nats');
    });

    it('starts after provisioning and reports health on its own port', () => {
      expect(dependsOn(service)['infra']).toBe('service_completed_successfully');
      const healthcheck = (service['healthcheck'] ?? {}) as Json;
      const test = Array.isArray(healthcheck['test']) ? healthcheck['test'].join(' ') : String(healthcheck['test']);
      expect(test).toContain(`:${port}/health/ready`);
    });
  });

  it('is accepted by `docker compose config` when the compose plugin is installed', () => {
    const version = spawnSync('docker', ['compose', 'version'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    if (version.error || version.status !== 0) {
      const reason = version.error ? version.error.message : (version.stderr || version.stdout).replace(/\s+/g, ' ').trim();
      console.warn(`docker compose validation of docker-compose.yml skipped: the compose plugin is not available (${reason})`);
      return;
    }
    const config = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--quiet'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (config.error) throw config.error;
    if (config.status !== 0) throw new Error(`docker compose config rejected docker-compose.yml:\n${config.stderr}`);
  });
});

describe('deploy/prometheus/prometheus.yml', () => {
  const jobs = (prometheus['scrape_configs'] ?? []) as Json[];
  const targets = jobs.flatMap((job) =>
    ((job['static_configs'] ?? []) as Json[]).flatMap((group) =>
      ((group['targets'] ?? []) as string[]).map((target) => ({
        metricsPath: String(job['metrics_path'] ?? '/metrics'),
        target,
        labels: (group['labels'] ?? {}) as Record<string, string>,
      })),
    ),
  );

  it('scrapes every 15 seconds', () => {
    expect((prometheus['global'] as Json)['scrape_interval']).toBe('15s');
  });

  it.each(catalog)('scrapes $name at $name:$port/metrics with a service label', ({ name, port }) => {
    const found = targets.filter((t) => t.target === `${name}:${port}`);
    expect(found).toHaveLength(1);
    expect(found[0].metricsPath).toBe('/metrics');
    expect(found[0].labels['service']).toBe(name);
  });

  it('scrapes nothing but the catalog services and Prometheus itself', () => {
    const known = new Set([...catalog.map((s) => `${s.name}:${s.port}`), 'localhost:9090']);
    expect(targets.map((t) => t.target).filter((target) => !known.has(target))).toEqual([]);
  });

  it('feeds the Grafana dashboard: same datasource uid and existing jobs', () => {
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml'))['datasources'] as Json[];
    const prometheusSource = datasources.find((d) => d['type'] === 'prometheus')!;
    expect(prometheusSource['url']).toBe('http://prometheus:9090');

    const dashboard: unknown = JSON.parse(read('deploy/grafana/dashboards/platform.json'));
    const datasourceUids = valuesOf(dashboard, 'datasource').map((ds) => (ds as Json)['uid']);
    expect(datasourceUids.length).toBeGreaterThan(0);
    expect(new Set(datasourceUids)).toEqual(new Set([prometheusSource['uid']]));

    const jobNames = new Set(jobs.map((job) => String(job['job_name'])));
    const queries = [...valuesOf(dashboard, 'expr'), ...valuesOf(dashboard, 'definition')].map(String);
    expect(queries.length).toBeGreaterThan(0);
    const referencedJobs = queries.flatMap((q) => [...q.matchAll(/\bjob="([^"]+)"/g)].map((m) => m[1]));
    expect(referencedJobs.filter((job) => !jobNames.has(job))).toEqual([]);
  });
});

describe('deploy/k8s/services.yaml', () => {
  const documents = parseAllDocuments(read('deploy/k8s/services.yaml'));
  const manifests = (Array.isArray(documents) ? documents : [])
    .map((doc) => doc.toJS() as Json | null)
    .filter((m): m is Json => m !== null);
  const ofKind = (kind: string) => manifests.filter((m) => m['kind'] === kind);
  const nameOf = (m: Json) => String((m['metadata'] as Json)['name']);

  it('parses without errors', () => {
    expect(Array.isArray(documents)).toBe(true);
    expect((Array.isArray(documents) ? documents : []).flatMap((doc) => doc.errors.map((e) => e.message))).toEqual([]);
  });

  it('gives the services that seal or unseal the raw feed their personal-data keys from one Secret', () => {
    for (const name of FEED_KEY_SERVICES) {
      const deployment = ofKind('Deployment').find((m) => nameOf(m) === name) ?? {};
      const [container] = ((((deployment['spec'] as Json)['template'] as Json)['spec'] as Json)['containers'] as Json[]) ?? [];
      expect(((container?.['envFrom'] ?? []) as Json[]).map((e) => e['secretRef'])).toContainEqual({ name: 'olist-pii-keys', optional: true });
    }
  });

  it('has a Deployment and a Service for exactly the catalog services', () => {
    const names = catalog.map((s) => s.name).sort();
    expect(ofKind('Deployment').map(nameOf).sort()).toEqual(names);
    expect(ofKind('Service').map(nameOf).sort()).toEqual(names);
  });

  describe.each(catalog)('$name', ({ name, port }) => {
    const deployment = ofKind('Deployment').find((m) => nameOf(m) === name) ?? {};
    const service = ofKind('Service').find((m) => nameOf(m) === name) ?? {};

    it(`runs the service on port ${port} with health probes`, () => {
      const template = (deployment['spec'] as Json)['template'] as Json;
      const [container] = (template['spec'] as Json)['containers'] as Json[];
      expect(commandLine(container)).toBe(serviceCommand(name));
      expect((container['ports'] as Json[]).map((p) => p['containerPort'])).toContain(port);
      const env = (container['env'] ?? []) as Json[];
      expect(env.find((e) => e['name'] === portVar(name))?.['value']).toBe(String(port));
      expect((container['readinessProbe'] as Json)['httpGet']).toEqual({ path: '/health/ready', port });
      expect((container['livenessProbe'] as Json)['httpGet']).toEqual({ path: '/health/live', port });
    });

    it(`exposes port ${port} through a Service that selects the Deployment`, () => {
      const spec = service['spec'] as Json;
      expect((spec['ports'] as Json[]).map((p) => [p['port'], p['targetPort']])).toContainEqual([port, port]);
      const podLabels = (((deployment['spec'] as Json)['template'] as Json)['metadata'] as Json)['labels'] as Json;
      expect(podLabels).toMatchObject(spec['selector'] as Json);
    });
  });
});
