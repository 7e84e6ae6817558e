import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

export function natsServerBinary(): string | undefined {
  const fromPath = (process.env['PATH'] ?? '').split(path.delimiter).map((d) => path.join(d, 'nats-server'));
  return [...CANDIDATES, ...fromPath].find((p) => existsSync(p));
}

/**
 * A nats-server of the test's own (JetStream, temporary store, free port), for tests that stop or
 * kill the server; the machine's shared server is never touched.
 */
export class OwnNatsServer {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly binary: string,
  ) {}

  static async start(): Promise<OwnNatsServer> {
    const binary = natsServerBinary();
    if (!binary) throw new Error('nats-server is not installed (node tools/infra/ensure.js installs it on Debian)');
    const server = new OwnNatsServer(await freePort(), mkdtempSync(path.join(tmpdir(), 'olist-nats-')), binary);
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and store. */
  async resume(): Promise<void> {
    this.process = spawn(this.binary, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    await waitForPort(this.port, 10_000);
  }

  /** Stops the server; `signal: 'SIGKILL'` for a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    this.process = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = netConnect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const NATS_LOCAL_DEFAULT = 'nats://127.0.0.1:4222';
let natsContainerUrl: Promise<string> | undefined;

/**
 * The shared NATS (JetStream) tests use: NATS_URL when set, else the local default when it
 * answers, else a throwaway container (testcontainers) where a container runtime exists.
 */
export async function natsServerUrl(): Promise<string> {
  if (process.env['NATS_URL']) return process.env['NATS_URL'];
  const local = new URL(NATS_LOCAL_DEFAULT);
  const answers = await waitForPort(Number(local.port), 500).then(
    () => true,
    () => false,
  );
  if (answers) return NATS_LOCAL_DEFAULT;
  natsContainerUrl ??= (async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('nats:2.10')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  })();
  return natsContainerUrl;
}
