import { existsSync } from 'node:fs';
import path from 'node:path';
import { serviceEndpoints } from '../service-endpoints';
import { ServiceFailedError, Supervisor } from '../supervisor';
import { workspaceRoot } from '../workspace';
import { generateCommand } from './generate.command';
import { loadCommand } from './load.command';
import { headlineFigures } from '../reconciliation';
import { formatHeadline } from './replay.command';

export interface UpOptions {
  /** `--no-load` sets this to false. */
  readonly load: boolean;
  /** Load the Olist files of this directory instead of a generated data set. */
  readonly data?: string;
  /** Scale and seed of the generated data set loaded by default. */
  readonly scale?: number;
  readonly seed?: number;
  readonly readyTimeoutMs?: number;
}

interface InfraModule {
  ensureInfra(options: { log: (line: string) => void }): Promise<unknown>;
}

/**
 * `olist up`: Postgres and NATS reachable and provisioned, every service started (each migrates
 * its own schema), readiness awaited, URLs printed; Ctrl-C or SIGTERM stops them all cleanly.
 */
export async function upCommand(options: UpOptions, out: (line: string) => void = console.log): Promise<number> {
  const root = workspaceRoot();
  const started = Date.now();
  const infra = require(path.join(root, 'tools/infra/ensure.js')) as InfraModule;
  await infra.ensureInfra({ log: (line) => out(`  ${line}`) });

  const endpoints = serviceEndpoints();
  const logDir = process.env['OLIST_LOG_DIR'] || path.join(root, '.olist/logs');
  const supervisor = new Supervisor(root, logDir, process.env);
  out(`starting ${endpoints.length} services (logs in ${path.relative(process.cwd(), logDir) || logDir}/)`);
  supervisor.start(endpoints);

  let stopping = false;
  const stopAll = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    out(`\n${reason}: stopping services…`);
    await supervisor.stop();
    out('all services stopped');
  };

  const signalled = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => void stopAll(signal).then(() => resolve(0));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });

  try {
    await Promise.race([
      supervisor.waitUntilReady(options.readyTimeoutMs ?? 60_000, (s, ms) =>
        out(`  ✓ ${s.endpoint.service.name.padEnd(12)} ready in ${(ms / 1000).toFixed(1)} s`),
      ),
      signalled.then(() => Promise.reject(new Error('interrupted'))),
    ]);
  } catch (error) {
    if (stopping) return signalled;
    out(`\n✗ ${(error as Error).message}`);
    if (error instanceof ServiceFailedError) out(error.logTail());
    await stopAll('start failed');
    return 1;
  }

  out(`\nOlist platform is up (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  if (options.load) await loadData(root, options, out).catch((error: unknown) => out(`\n✗ loading failed: ${(error as Error).message}\n  the platform stays up; fix the input and run npx olist load DIR`));
  out('');
  for (const e of endpoints) {
    out(`  ${e.service.name.padEnd(12)} ${e.url.padEnd(24)} ${e.url}/health/ready  ${e.url}/metrics`);
  }
  out('\nPress Ctrl-C to stop.');

  const crashed = supervisor.firstExit().then(async (s) => {
    if (stopping) return signalled;
    out(`\n✗ ${s.endpoint.service.name} exited unexpectedly (code ${s.exit?.code ?? s.exit?.signal})`);
    out(new ServiceFailedError(s, '').logTail());
    await stopAll('a service failed');
    return 1;
  });
  return Promise.race([signalled, crashed]);
}

/** The files given with --data, or a generated data set (made once per scale and seed), loaded and awaited. */
async function loadData(root: string, options: UpOptions, out: (line: string) => void): Promise<void> {
  let dir = options.data;
  if (!dir) {
    const scale = options.scale ?? 0.1;
    const seed = options.seed ?? 42;
    dir = path.join(root, '.olist/data', `scale-${scale}-seed-${seed}`);
    if (!existsSync(path.join(dir, 'product_category_name_translation.csv'))) {
      out(`\ngenerating an Olist data set (scale ${scale}, seed ${seed}) in ${path.relative(process.cwd(), dir)}/`);
      await generateCommand({ out: dir, scale, seed }, { out, tty: false });
    }
  }
  out(`\nloading ${dir}`);
  const code = await loadCommand(dir, { wait: true, waitTimeoutMs: 600_000 }, out);
  if (code !== 0) throw new Error(`the load did not complete (exit code ${code})`);
  const figures = await headlineFigures();
  out(`\nwarehouse: ${formatHeadline(figures)}`);
}
