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
  /** The body as an event envelope. */
  envelope<T = unknown>(): EventEnvelope<T>;
}

const decoder = new TextDecoder();

export function inboundMessage(fields: Omit<InboundMessage, 'json' | 'envelope'>): InboundMessage {
  let parsed: unknown;
  const json = <T>() => (parsed ??= JSON.parse(decoder.decode(fields.data))) as T;
  return { ...fields, json, envelope: <T>() => json<EventEnvelope<T>>() };
}
