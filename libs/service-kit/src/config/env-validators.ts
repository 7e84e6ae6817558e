import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** A URL with one of the given protocols and a host, e.g. `postgres://user@host:5432/db`. */
export function IsServerUrl(protocols: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isServerUrl',
      constraints: [protocols],
      validator: {
        validate: (value: unknown) => {
          const url = parseUrl(value);
          return !!url && protocols.includes(url.protocol) && url.hostname.length > 0;
        },
        defaultMessage: buildMessage(
          () => `must be a URL of the form ${protocols.map((p) => `${p}//host[:port]`).join(' or ')}`,
          options,
        ),
      },
    },
    options,
  );
}

/** Hides the password of a URL before it is shown in an error or a log line. */
export function redactUrl(value: string): string {
  const url = parseUrl(value);
  if (!url || !url.password) return value;
  url.password = '***';
  return url.toString();
}
