import type { EventEnvelope } from '../envelope';
import { HEADER } from '../headers';

/** One message as a consumer's handler sees it. */
export interface InboundMessage {
  /**
   * Inbox key: the envelope id for domain events (also for each envelope of a batch message), the
   * batch id for the raw feed.
   */
  readonly eventId: string;
  /**
   * Id of the delivered message this one came in: of a batch message, the batch's id, shared by
   * its envelopes (they are always delivered and applied together); otherwise `eventId`. The
   * consumer's inbox key.
   */
  readonly messageId: string;
  /** Unprefixed subject. */
  readonly subject: string;
  readonly stream: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
  /**
   * Messages of the stream still to come for this consumer when this one was delivered: 0 means
   * the consumer had reached the end of its stream (handlers may defer work until then).
   */
  readonly pending: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The message's bytes (of a batch message: the whole batch). */
  readonly data: Uint8Array;
  /**
   * The body parsed as JSON (of a batch message: this message's envelope). Other bodies are parsed
   * at each call and not kept: a caller keeps what it needs.
   */
  json<T = unknown>(): T;
  /** The body as an event envelope, upcast to the latest contract version the consumer knows (parsed as by `json`). */
  envelope<T = unknown>(): EventEnvelope<T>;
}

const decoder = new TextDecoder();

export interface Upcaster {
  find(type: string, version: number): unknown;
  upcast(type: string, version: number, payload: unknown): { version: number; payload: unknown };
}

/**
 * Plain fields plus lazily parsed bodies; methods on the prototype, not two closures per message.
 * A body parsed on demand is not kept by the message: a raw-feed batch's rows (thousands of
 * objects) are then garbage as soon as the handler has translated them, instead of living as long
 * as the message waits for its transaction to commit and being copied by every young-generation
 * collection meanwhile. A batch message's envelopes come parsed with their batch and are kept.
 */
class Inbound implements InboundMessage {
  readonly eventId: string;
  readonly messageId: string;
  readonly subject: string;
  readonly stream: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
  readonly pending: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
  readonly #parsed: unknown;
  readonly #upcaster?: Upcaster;

  constructor(fields: InboundFields, upcaster?: Upcaster, parsed?: unknown) {
    this.eventId = fields.eventId;
    this.messageId = fields.messageId ?? fields.eventId;
    this.subject = fields.subject;
    this.stream = fields.stream;
    this.streamSequence = fields.streamSequence;
    this.deliveryCount = fields.deliveryCount;
    this.pending = fields.pending ?? 0;
    this.headers = fields.headers;
    this.data = fields.data;
    this.#upcaster = upcaster;
    this.#parsed = parsed;
  }

  json<T = unknown>(): T {
    return (this.#parsed ?? JSON.parse(decoder.decode(this.data))) as T;
  }

  envelope<T = unknown>(): EventEnvelope<T> {
    const raw = this.json<EventEnvelope>();
    // Types the consumer has no contract for pass through unchanged (handlers ignore what they do not know).
    const latest = this.#upcaster?.find(raw.type, raw.version) ? this.#upcaster.upcast(raw.type, raw.version, raw.payload) : undefined;
    return (latest && latest.version !== raw.version ? { ...raw, version: latest.version, payload: latest.payload } : raw) as EventEnvelope<T>;
  }
}

/** What a message is made of; `pending` defaults to 0 (e.g. a re-driven dead letter), `messageId` to `eventId`. */
export type InboundFields = Omit<InboundMessage, 'json' | 'envelope' | 'pending' | 'messageId'> & { readonly pending?: number; readonly messageId?: string };

export function inboundMessage(fields: InboundFields, upcaster?: Upcaster): InboundMessage {
  return new Inbound(fields, upcaster);
}

/**
 * The messages one delivery holds: itself, or for a batch message (`Olist-Events` header: a JSON
 * array of envelopes of one subject) one message per envelope, in order, each with its envelope's
 * id as `eventId` and the batch's as `messageId`. Throws when a batch's body is not a JSON array.
 */
export function inboundMessages(fields: InboundFields, upcaster?: Upcaster): InboundMessage[] {
  if (fields.headers[HEADER.events] === undefined) return [new Inbound(fields, upcaster)];
  const envelopes = JSON.parse(decoder.decode(fields.data)) as unknown;
  if (!Array.isArray(envelopes)) throw new Error(`a batch message (${HEADER.events}) whose body is not a JSON array`);
  return envelopes.map((envelope: EventEnvelope) => new Inbound({ ...fields, eventId: String(envelope?.id), messageId: fields.eventId }, upcaster, envelope));
}
