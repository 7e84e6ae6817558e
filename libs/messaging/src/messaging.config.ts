import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, validateSync } from 'class-validator';
import { ConfigError } from '@olist/service-kit';

class MessagingEnvironment {
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: 'must be lower-case letters, digits, - or _ (at most 32)' })
  OLIST_NATS_PREFIX?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of hours (0 keeps messages until size limits)' })
  @Min(0, { message: 'must be a whole number of hours (0 keeps messages until size limits)' })
  OLIST_STREAM_MAX_AGE_HOURS = 0;

  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 100' })
  @Min(1, { message: 'must be an integer from 1 to 100' })
  @Max(100, { message: 'must be an integer from 1 to 100' })
  OLIST_MAX_DELIVERIES = 5;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(0, { message: 'must be a whole number of hours' })
  OLIST_OUTBOX_RETENTION_HOURS = 24;
}

export interface MessagingConfig {
  readonly prefix: string;
  readonly streamMaxAgeMs: number;
  readonly maxDeliveries: number;
  readonly outboxRetentionMs: number;
}

const KEYS = ['OLIST_NATS_PREFIX', 'OLIST_STREAM_MAX_AGE_HOURS', 'OLIST_MAX_DELIVERIES', 'OLIST_OUTBOX_RETENTION_HOURS'] as const;

export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  const raw = Object.fromEntries(KEYS.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const parsed = plainToInstance(MessagingEnvironment, raw, { exposeDefaultValues: true });
  const errors = validateSync(parsed);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        message: `${[...new Set(Object.values(e.constraints ?? {}))].join('; ')} (got "${String(e.value)}")`,
      })),
    );
  }
  return {
    prefix: parsed.OLIST_NATS_PREFIX ?? '',
    streamMaxAgeMs: parsed.OLIST_STREAM_MAX_AGE_HOURS * 3_600_000,
    maxDeliveries: parsed.OLIST_MAX_DELIVERIES,
    outboxRetentionMs: parsed.OLIST_OUTBOX_RETENTION_HOURS * 3_600_000,
  };
}
