/** Settings of one benchmark run, from command-line arguments, then environment, then defaults. */
export interface BenchOptions {
  /** Events of the baseline and of the saturation run. */
  readonly events: number;
  /** Length of the paced (latency) run in seconds. */
  readonly pacedSeconds: number;
  /** Events per second the paced writer produces. */
  readonly pacedRate: number;
  /** Interval between two transactions of the paced writer. */
  readonly pacedTickMs: number;
  /** Events per outbox transaction of the saturating writers. */
  readonly writeChunk: number;
  /** Concurrent saturating writers. */
  readonly writers: number;
  /** Publishes in flight in the baseline. */
  readonly baselineWindow: number;
  /** OutboxRelay batchSize / window / pollIntervalMs. */
  readonly relayBatch: number;
  readonly relayWindow: number;
  readonly relayPollMs: number;
  /** DurableConsumer batchSize. */
  readonly consumerBatch: number;
  /** 1: writers, relay and consumer in this process; 2: the consumer in a process of its own. */
  readonly processes: number;
  /** A run fails when no event moves for this long. */
  readonly stallTimeoutMs: number;
}

interface OptionSpec {
  readonly key: keyof BenchOptions;
  readonly flag: string;
  readonly env: string;
  readonly fallback: number;
  readonly help: string;
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'events', flag: '--events', env: 'BENCH_EVENTS', fallback: 100_000, help: 'events of the baseline and of the saturation run' },
  { key: 'pacedSeconds', flag: '--paced-seconds', env: 'BENCH_PACED_SECONDS', fallback: 10, help: 'length of the paced latency run' },
  { key: 'pacedRate', flag: '--paced-rate', env: 'BENCH_PACED_RATE', fallback: 5_000, help: 'events/s of the paced writer' },
  { key: 'pacedTickMs', flag: '--paced-tick-ms', env: 'BENCH_PACED_TICK_MS', fallback: 10, help: 'one outbox transaction every this many ms in the paced run' },
  { key: 'writeChunk', flag: '--write-chunk', env: 'BENCH_WRITE_CHUNK', fallback: 1_000, help: 'events per outbox transaction at saturation' },
  { key: 'writers', flag: '--writers', env: 'BENCH_WRITERS', fallback: 2, help: 'concurrent writers at saturation' },
  { key: 'baselineWindow', flag: '--baseline-window', env: 'BENCH_BASELINE_WINDOW', fallback: 1_024, help: 'publishes in flight in the baseline' },
  { key: 'relayBatch', flag: '--relay-batch', env: 'BENCH_RELAY_BATCH', fallback: 2_000, help: 'OutboxRelay batchSize (rows read per round)' },
  { key: 'relayWindow', flag: '--relay-window', env: 'BENCH_RELAY_WINDOW', fallback: 1_024, help: 'OutboxRelay window (publishes in flight)' },
  { key: 'relayPollMs', flag: '--relay-poll-ms', env: 'BENCH_RELAY_POLL_MS', fallback: 1_000, help: 'OutboxRelay pollIntervalMs' },
  { key: 'consumerBatch', flag: '--consumer-batch', env: 'BENCH_CONSUMER_BATCH', fallback: 1_000, help: 'DurableConsumer batchSize (messages per transaction)' },
  { key: 'processes', flag: '--processes', env: 'BENCH_PROCESSES', fallback: 2, help: '1: all in one process; 2: the consumer in a process of its own' },
  { key: 'stallTimeoutMs', flag: '--stall-timeout-ms', env: 'BENCH_STALL_TIMEOUT_MS', fallback: 60_000, help: 'give up when nothing moves for this long' },
];

export class UsageError extends Error {}

export function usage(): string {
  const lines = OPTION_SPECS.map((o) => `  ${`${o.flag} N`.padEnd(24)} ${o.help} (default ${o.fallback}; env ${o.env})`);
  return ['usage: npm run bench:events -- [options]', ...lines].join('\n');
}

/** Parses `--name N` / `--name=N` arguments over `BENCH_*` variables over the defaults. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const values = new Map<keyof BenchOptions, number>();
  const read = (spec: OptionSpec, raw: string | undefined, origin: string): void => {
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value <= 0) {
      throw new UsageError(`${origin} must be a positive whole number (got "${raw ?? ''}")`);
    }
    values.set(spec.key, value);
  };
  for (const spec of OPTION_SPECS) {
    if (env[spec.env] !== undefined && env[spec.env] !== '') read(spec, env[spec.env], spec.env);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const spec = OPTION_SPECS.find((o) => o.flag === flag);
    if (!spec) throw new UsageError(`unknown argument "${arg}"`);
    read(spec, inline ?? argv[++i], spec.flag);
  }
  const options = Object.fromEntries(OPTION_SPECS.map((o) => [o.key, values.get(o.key) ?? o.fallback])) as unknown as BenchOptions;
  if (options.processes > 2) throw new UsageError(`--processes must be 1 or 2 (got ${options.processes})`);
  const perTick = (options.pacedRate * options.pacedTickMs) / 1_000;
  if (!Number.isInteger(perTick) || perTick < 1) {
    throw new UsageError(`--paced-rate × --paced-tick-ms / 1000 must be a whole number of events per transaction (got ${perTick})`);
  }
  return options;
}

/** Events per transaction of the paced writer. */
export const pacedPerTick = (o: BenchOptions): number => (o.pacedRate * o.pacedTickMs) / 1_000;

/** Events of the paced run. */
export const pacedEvents = (o: BenchOptions): number => Math.round(o.pacedSeconds * 1_000 / o.pacedTickMs) * pacedPerTick(o);
