import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_NODE_ARGS } from '@olist/service-kit';
import { ServiceEndpoint, probeReadiness } from './service-endpoints';

export interface SupervisedService {
  readonly endpoint: ServiceEndpoint;
  readonly process: ChildProcess;
  readonly logFile: string;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/** Starts the services as child processes, waits for readiness, and stops them together. */
export class Supervisor {
  readonly services: SupervisedService[] = [];

  constructor(
    private readonly root: string,
    private readonly logDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(endpoints: readonly ServiceEndpoint[]): void {
    mkdirSync(this.logDir, { recursive: true });
    for (const endpoint of endpoints) {
      const logFile = path.join(this.logDir, `${endpoint.service.name}.log`);
      const fd = openSync(logFile, 'w');
      const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, path.join(this.root, 'dist/apps', endpoint.service.name, 'src/main.js')], {
        cwd: this.root,
        env: this.env,
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const supervised: SupervisedService = { endpoint, process: child, logFile };
      child.once('exit', (code, signal) => (supervised.exit = { code, signal }));
      this.services.push(supervised);
    }
  }

  /** Resolves when every service answers ready; rejects when one exits or the time runs out. */
  async waitUntilReady(timeoutMs: number, onReady: (s: SupervisedService, ms: number) => void): Promise<void> {
    const started = Date.now();
    const pending = new Set(this.services);
    while (pending.size > 0) {
      for (const s of pending) {
        if (s.exit) throw new ServiceFailedError(s, `exited with code ${s.exit.code ?? s.exit.signal} during start`);
      }
      await Promise.all(
        [...pending].map(async (s) => {
          if ((await probeReadiness(s.endpoint.url, 1_000)).ready) {
            pending.delete(s);
            onReady(s, Date.now() - started);
          }
        }),
      );
      if (pending.size === 0) break;
      const [late] = pending;
      if (late && Date.now() - started > timeoutMs) {
        const names = [...pending].map((s) => s.endpoint.service.name).join(', ');
        throw new ServiceFailedError(late, `not ready after ${timeoutMs / 1000} s (${names})`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Resolves with the first service that exits on its own. */
  firstExit(): Promise<SupervisedService> {
    return new Promise((resolve) => {
      for (const s of this.services) {
        if (s.exit) return resolve(s);
        s.process.once('exit', () => resolve(s));
      }
    });
  }

  /** SIGTERM to all, SIGKILL to those still running after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    const running = this.services.filter((s) => !s.exit);
    const exited = running.map((s) => new Promise<void>((r) => (s.exit ? r() : s.process.once('exit', () => r()))));
    for (const s of running) s.process.kill('SIGTERM');
    const timer = setTimeout(() => running.forEach((s) => !s.exit && s.process.kill('SIGKILL')), graceMs);
    await Promise.all(exited);
    clearTimeout(timer);
  }
}

export class ServiceFailedError extends Error {
  constructor(
    readonly service: SupervisedService,
    reason: string,
  ) {
    super(`${service.endpoint.service.name} ${reason}`);
  }

  /** The last lines the service wrote, for the user to see why. */
  logTail(lines = 15): string {
    try {
      return readFileSync(this.service.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
