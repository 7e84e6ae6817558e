import { DiscardPolicy, JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { StreamContext, Topology } from '../topology';

export interface StreamSettings {
  /** How long messages are kept; 0 keeps them until limits are reached (default). */
  readonly maxAgeMs?: number;
  /** Largest size of one stream in bytes; -1 means unlimited (default). */
  readonly maxBytes?: number;
  readonly duplicateWindowMs?: number;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

/**
 * Creates the streams or brings their configuration up to date; safe to run at every start and
 * from several instances at once.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  topology: Topology,
  contexts: readonly StreamContext[],
  settings: StreamSettings = {},
): Promise<string[]> {
  const names: string[] = [];
  for (const context of contexts) {
    const wanted: Partial<StreamConfig> & { name: string } = {
      name: topology.stream(context),
      subjects: topology.streamSubjects(context),
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(Math.max(settings.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS, DEFAULT_DUPLICATE_WINDOW_MS)),
      max_age: nanos(settings.maxAgeMs ?? 0),
      max_bytes: settings.maxBytes ?? -1,
      num_replicas: 1,
    };
    const name = wanted.name;
    const existing = await jsm.streams.info(name).catch((error: unknown) => {
      if (/not found/i.test(String((error as Error).message))) return undefined;
      throw error;
    });
    if (!existing) {
      await jsm.streams.add(wanted).catch(async (error: unknown) => {
        // Another instance created it first.
        if (!/already in use|exists/i.test(String((error as Error).message))) throw error;
      });
    } else {
      const c = existing.config;
      const differs =
        JSON.stringify(c.subjects) !== JSON.stringify(wanted.subjects) ||
        c.duplicate_window !== wanted.duplicate_window ||
        c.max_age !== wanted.max_age ||
        c.max_bytes !== wanted.max_bytes;
      if (differs) {
        const { subjects, duplicate_window, max_age, max_bytes } = wanted;
        await jsm.streams.update(name, { subjects, duplicate_window, max_age, max_bytes });
      }
    }
    names.push(name);
  }
  return names;
}

/**
 * Messages the durable consumers of these streams have yet to apply (pending + unacknowledged),
 * counting the consumers `include` accepts; ephemeral consumers (e.g. `olist tap`) and streams that
 * do not exist yet count nothing.
 */
export async function consumersBacklog(
  jsm: JetStreamManager,
  topology: Topology,
  contexts: readonly StreamContext[],
  include: (consumer: string) => boolean = () => true,
): Promise<number> {
  let pending = 0;
  for (const context of contexts) {
    const stream = topology.stream(context);
    if (!(await jsm.streams.info(stream).catch(() => undefined))) continue;
    for await (const c of jsm.consumers.list(stream)) if (c.config.durable_name && include(c.name)) pending += c.num_pending + c.num_ack_pending;
  }
  return pending;
}
