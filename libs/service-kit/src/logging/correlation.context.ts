import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';
/** Header names carried on NATS messages (envelope ids travel in headers as well as the body). */
export const NATS_CORRELATION_HEADER = 'Olist-Correlation-Id';
export const NATS_CAUSATION_HEADER = 'Olist-Causation-Id';

export interface CorrelationScope {
  readonly correlationId: string;
  /** Id of the message that caused the current work, when the work started from a message. */
  readonly causationId?: string;
}

const storage = new AsyncLocalStorage<CorrelationScope>();
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Correlation of the work in progress: taken from the incoming request or message and passed on. */
export const CorrelationContext = {
  run<T>(scope: CorrelationScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): CorrelationScope | undefined {
    return storage.getStore();
  },
  correlationId(): string | undefined {
    return storage.getStore()?.correlationId;
  },
  /** An incoming id when it is well-formed, otherwise a fresh one. */
  idFrom(incoming: unknown): string {
    const value = Array.isArray(incoming) ? incoming[0] : incoming;
    return typeof value === 'string' && VALID_ID.test(value) ? value : randomUUID();
  },
};
