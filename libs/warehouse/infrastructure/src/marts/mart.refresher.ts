import { BacklogWatch } from '@olist/messaging';
import type { MartBuilder, MartBuildResult } from './mart.builder';

export interface MartRefresherOptions {
  /** How often progress is polled. */
  readonly pollMs?: number;
  /**
   * Messages the platform's other consumers have yet to apply: while there are any, more events
   * are on their way and a quiet spell is only a pause (default: none).
   */
  readonly upstreamPending?: () => Promise<number>;
  /**
   * An upstream backlog that has not shrunk for this long no longer holds a build back (a stuck
   * consumer must not freeze the marts; default 30 s).
   */
  readonly maxWaitMs?: number;
  /**
   * Builds let through by a backlog that does not shrink take at most this share of the time
   * (default 0.1): the wait is at least the last build's duration divided by it.
   */
  readonly busyBuildShare?: number;
  /**
   * How long the geolocation feed must have stood still before dim_geolocation is rebuilt alone
   * (default 2 s; the marts may still be held back by the rest of a load).
   */
  readonly geolocationQuietMs?: number;
  /**
   * Messages of the geolocation feed the warehouse has yet to apply: while there are any, the
   * feed only paused (its consumer waited for the cores) and dim_geolocation is not rebuilt alone
   * (default: none).
   */
  readonly geolocationPending?: () => Promise<number>;
  readonly onBuilt?: (result: MartBuildResult) => void;
  readonly onGeolocationBuilt?: () => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Rebuilds the marts once the consumers have caught up: when events were applied since the last
 * build, none arrived during the last poll interval, and the rest of the platform has nothing
 * pending. A load streaming in through the contexts is not rebuilt at every pause, nor while its
 * backlog is being worked off: only a backlog that has not shrunk for `maxWaitMs` (longer after a
 * long build: see `busyBuildShare`) no longer holds the build back. Marts are also built once at
 * start, so they exist before the first event. dim_geolocation depends on the geolocation feed
 * alone: once that has stood still for `geolocationQuietMs` with nothing of it pending, it is rebuilt by itself, while the
 * rest of a load may still hold the marts back, and the build that follows skips it.
 */
export class MartRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSeen = -1;
  private readonly upstream = new BacklogWatch();
  private stopped = false;
  /** Duration of the last build (ms). */
  private lastBuildMs = 0;
  /** Geolocation messages applied at the last look, since when they stood still, and when dim_geolocation was last looked after. */
  private geolocationSeen = -1;
  private geolocationStillSince = 0;
  private geolocationBuiltFor = -1;

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
    if (progress.fresh) return null;
    if (progress.builtAt !== null) {
      // Looked at on every poll while behind, so that how long the backlog has stood still is known.
      const maxWait = Math.max(this.options.maxWaitMs ?? 30_000, this.lastBuildMs / (this.options.busyBuildShare ?? 0.1));
      const held = this.upstream.holds((await this.options.upstreamPending?.()) ?? 0, Date.now(), maxWait);
      if (!quiet || held) {
        await this.geolocationIfStill(progress.geolocationApplied);
        return null;
      }
    }
    const result = await this.builder.build();
    this.upstream.reset();
    if (result) this.lastBuildMs = result.ms;
    if (result) this.options.onBuilt?.(result);
    return result;
  }

  /** dim_geolocation rebuilt alone once the geolocation feed stood still long enough since it was last looked after. */
  private async geolocationIfStill(applied: number): Promise<void> {
    const now = Date.now();
    if (applied !== this.geolocationSeen) {
      this.geolocationSeen = applied;
      this.geolocationStillSince = now;
      return;
    }
    if (applied === this.geolocationBuiltFor || now - this.geolocationStillSince < (this.options.geolocationQuietMs ?? 2_000)) return;
    if (((await this.options.geolocationPending?.()) ?? 0) > 0) return;
    if (await this.builder.buildGeolocation()) this.options.onGeolocationBuilt?.();
    this.geolocationBuiltFor = applied;
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
