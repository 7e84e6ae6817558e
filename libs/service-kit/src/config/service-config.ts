import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { ServiceDescriptor, ServiceName, serviceDescriptor, serviceEnv, serviceRole } from '../catalog/services.catalog';
import { ConfigError, ConfigProblem } from './config-error';
import { IsServerUrl, redactUrl } from './env-validators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/olist';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const POSTGRES = ['postgres:', 'postgresql:'];

/** The variables every service reads; property names are the variables' own, except where `names` maps them. */
class ServiceEnvironment {
  @IsServerUrl(POSTGRES)
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  @IsOptional()
  @IsServerUrl(POSTGRES)
  SERVICE_DATABASE_URL?: string;

  @IsServerUrl(['nats:', 'tls:'])
  NATS_URL: string = DEFAULT_NATS_URL;

  @Type(() => Number)
  @IsInt({ message: 'must be an integer between 1 and 65535' })
  @Min(1, { message: 'must be an integer between 1 and 65535' })
  @Max(65535, { message: 'must be an integer between 1 and 65535' })
  PORT!: number;

  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100, { message: 'must be at least 100 ms' })
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @IsOptional()
  @IsString()
  OLIST_DB_ROLE_PASSWORD?: string;
}

const ENV_KEYS: readonly (keyof ServiceEnvironment)[] = [
  'DATABASE_URL',
  'SERVICE_DATABASE_URL',
  'NATS_URL',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'SHUTDOWN_TIMEOUT_MS',
  'OLIST_DB_ROLE_PASSWORD',
];

/** Typed configuration of one running service. */
export interface ServiceConfig {
  readonly service: ServiceDescriptor;
  readonly host: string;
  readonly port: number;
  /** The service's own role, used for everything it does. */
  readonly databaseUrl: string;
  readonly databaseRole: string;
  readonly natsUrl: string;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadServiceConfig(name: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const service = serviceDescriptor(name);
  const names = serviceEnv(name);
  const variableOf: Record<string, string> = { PORT: names.port, SERVICE_DATABASE_URL: names.databaseUrl };

  const raw: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[variableOf[key] ?? key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  raw['PORT'] ??= String(service.port);

  const parsed = plainToInstance(ServiceEnvironment, raw, { exposeDefaultValues: true });
  const problems: ConfigProblem[] = validateSync(parsed, { forbidUnknownValues: false }).flatMap((error) => {
    const variable = variableOf[error.property] ?? error.property;
    const shown = typeof error.value === 'string' ? redactUrl(error.value) : String(error.value);
    const messages = [...new Set(Object.values(error.constraints ?? {}))].map((m) => m.replace(`${error.property} `, ''));
    return [{ variable, message: `${messages.join('; ')} (got "${shown}")` }];
  });
  if (problems.length > 0) throw new ConfigError(problems);

  const role = serviceRole(name);
  return {
    service,
    host: parsed.HOST,
    port: parsed.PORT,
    databaseUrl: parsed.SERVICE_DATABASE_URL ?? roleUrl(parsed.DATABASE_URL, role, parsed.OLIST_DB_ROLE_PASSWORD),
    databaseRole: parsed.SERVICE_DATABASE_URL ? decodeURIComponent(new URL(parsed.SERVICE_DATABASE_URL).username) : role,
    natsUrl: parsed.NATS_URL,
    logLevel: parsed.LOG_LEVEL,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
  };
}

/** The admin URL with the user replaced by the service's role. */
export function roleUrl(adminUrl: string, role: string, password?: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password ?? '';
  return url.toString();
}
