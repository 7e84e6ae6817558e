import type { MartBuilder, MartBuildResult } from './mart.builder';

export interface MartRefresherOptions {
  /** How often progress is polled. */
  readonly pollMs?: number;
  readonly onBuilt?: (result: MartBuildResult) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Rebuilds the marts once the consumers have caught up: when events were applied since the last
 * build and none arrived during the last poll interval (a load streaming in is not rebuilt after
 * every batch). Marts are also built once at start, so they exist before the first event.
 */
export class MartRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSeen = -1;
  private stopped = false;

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
    if (progress.fresh || (!quiet && progress.builtAt !== null)) return null;
    const result = await this.builder.build();
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
