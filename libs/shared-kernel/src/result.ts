/**
 * A minimal Result type for expected outcomes.
 *
 * Expected failures (bad input from a CSV row, an unknown state code, ...) are
 * returned as values carrying a stable, machine-readable `code` such as
 * `MONEY.NOT_A_NUMBER`. Programming faults (calling an API with arguments that
 * violate its contract) still throw.
 */

/** An expected failure: a stable dotted code plus a human-readable message. */
export interface DomainError {
  readonly code: string;
  readonly message: string;
}

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

export type Result<T, E = DomainError> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return Object.freeze({ ok: true as const, value });
}

export function err<E>(error: E): Err<E> {
  return Object.freeze({ ok: false as const, error });
}

/** Builds a frozen {@link DomainError}. */
export function domainError(code: string, message: string): DomainError {
  return Object.freeze({ code, message });
}

export function isOk<T, E>(result: Result<T, E>): result is Ok<T> {
  return result.ok;
}

export function isErr<T, E>(result: Result<T, E>): result is Err<E> {
  return !result.ok;
}

/** Transforms the success value, passing an error through untouched. */
export function mapResult<T, U, E>(result: Result<T, E>, fn: (value: T) => U): Result<U, E> {
  return result.ok ? ok(fn(result.value)) : result;
}

/**
 * Returns the success value or throws. Meant for call sites where an error is
 * impossible by construction (constants, tests); the thrown error carries the code.
 */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  const error: unknown = result.error;
  const detail =
    typeof error === 'object' && error !== null && 'code' in error && 'message' in error
      ? `${String((error as DomainError).code)}: ${String((error as DomainError).message)}`
      : String(error);
  throw new Error(`unwrap called on an error result (${detail})`);
}
