import type { MartBuilder, MartBuildResult } from './mart.builder';

export interface MartRefresherOptions {
  /** How often progress is polled. */
  readonly pollMs?: number;
  /**
   * Messages the platform's other consumers have yet to apply: while there are any, more events
   * are on their way and a quiet spell is only a pause (default: none).
   */
  readonly upstreamPending?: () => Promise<number>;
  /** Past this time with unbuilt events, upstream work no longer holds a build back (default 30 s). */
  readonly maxWaitMs?: number;
  /**
   * While upstream is busy, builds take at most this share of the time (default 0.1): the wait
   * is at least the last build's duration divided by it, so a full-size build of several seconds
   * does not run every `maxWaitMs` of a long load, competing with the consumers for the CPU.
   */
  readonly busyBuildShare?: number;
  readonly onBuilt?: (result: MartBuildResult) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Rebuilds the marts once the consumers have caught up: when events were applied since the last
 * build, none arrived during the last poll interval, and the rest of the platform has nothing
 * pending (a load streaming in through the contexts is not rebuilt at every pause) — or, with
 * upstream still busy, once the marts have been behind for `maxWaitMs` (longer after a long build:
 * see `busyBuildShare`). Marts are also built once
 * at start, so they exist before the first event.
 */
export class MartRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSeen = -1;
  /** When unbuilt events were first seen since the last build. */
  private behindSince: number | null = null;
  private stopped = false;
  /** Duration of the last build (ms). */
  private lastBuildMs = 0;

  constructor(
    private readonly builder: MartBuilder,
    private readonly options: MartRefresherOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One poll: build when stale and quiet. Resolves with the build, or null when nothing was built. */
  async tick(): Promise<MartBuildResult | null> {
    const progress = await this.builder.progress();
    const quiet = progress.appliedEvents === this.lastSeen;
    this.lastSeen = progress.appliedEvents;
    if (progress.fresh) {
      this.behindSince = null;
      return null;
    }
    this.behindSince ??= Date.now();
    if (!quiet && progress.builtAt !== null) return null;
    const waited = Date.now() - this.behindSince;
    const maxWait = Math.max(this.options.maxWaitMs ?? 30_000, this.lastBuildMs / (this.options.busyBuildShare ?? 0.1));
    if (progress.builtAt !== null && waited < maxWait && ((await this.options.upstreamPending?.()) ?? 0) > 0) return null;
    const result = await this.builder.build();
    this.behindSince = null;
    if (result) this.lastBuildMs = result.ms;
    if (result) this.options.onBuilt?.(result);
    return result;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.pollMs ?? 500);
        });
    }, ms);
    this.timer.unref?.();
  }
}
