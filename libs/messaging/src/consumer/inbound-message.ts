import type { EventEnvelope } from '../envelope';

/** One message as a consumer's handler sees it. */
export interface InboundMessage {
  /** Inbox key: the envelope id for domain events, the batch id for the raw feed. */
  readonly eventId: string;
  /** Unprefixed subject. */
  readonly subject: string;
  readonly stream: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
  /** The body as an event envelope, upcast to the latest contract version the consumer knows. */
  envelope<T = unknown>(): EventEnvelope<T>;
}

const decoder = new TextDecoder();

export interface Upcaster {
  find(type: string, version: number): unknown;
  upcast(type: string, version: number, payload: unknown): { version: number; payload: unknown };
}

export function inboundMessage(fields: Omit<InboundMessage, 'json' | 'envelope'>, upcaster?: Upcaster): InboundMessage {
  let parsed: unknown;
  let upcast: EventEnvelope | undefined;
  const json = <T>() => (parsed ??= JSON.parse(decoder.decode(fields.data))) as T;
  const envelope = <T>() => {
    if (!upcast) {
      const raw = json<EventEnvelope>();
      // Types the consumer has no contract for pass through unchanged (handlers ignore what they do not know).
      const latest = upcaster?.find(raw.type, raw.version) ? upcaster.upcast(raw.type, raw.version, raw.payload) : undefined;
      upcast = latest && latest.version !== raw.version ? { ...raw, version: latest.version, payload: latest.payload } : raw;
    }
    return upcast as EventEnvelope<T>;
  };
  return { ...fields, json, envelope };
}
