import { hash } from 'node:crypto';
import type { NewEvent } from './outbox';

/**
 * A UUID (version-3 layout) from the md5 of an event's aggregate key, type, version and content
 * (as JSON): a re-load of the same data yields the same id, so consumers' inboxes and JetStream's
 * duplicate window know the event again.
 */
export function contentEventId(key: string, type: string, version: number, content: unknown): string {
  const h = hash('md5', `${key}|${type}|v${version}|${JSON.stringify(content)}`, 'hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-3${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The event with an id derived from its content: `contentEventId` of its aggregate, type, version
 * and payload, or of `idContent` when given (e.g. the facts of an event without a figure that may
 * be refined later).
 */
export function withContentId<T>(event: Omit<NewEvent<T>, 'id'>, idContent?: unknown): NewEvent<T> & { id: string } {
  return { ...event, id: contentEventId(event.aggregateId, event.type, event.version, idContent === undefined ? event.payload : idContent) };
}
