import { plainToInstance } from 'class-transformer';
import { IsOptional, Matches, validateSync } from 'class-validator';
import { ConfigError } from '@olist/service-kit';

export const SEGMENT_AS_OF_ENV = 'CUSTOMER_SEGMENT_AS_OF';

const ISO_DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

class SegmentEnvironment {
  @IsOptional()
  @Matches(ISO_DATE_OR_TIME, { message: 'must be an ISO date (2018-10-17) or date-time with a zone (2018-10-17T17:30:18Z)' })
  CUSTOMER_SEGMENT_AS_OF?: string;
}

export interface SegmentConfig {
  /** Fixed reference time of the segmentation; null: the last purchase of all orders known. */
  readonly asOf: Date | null;
}

/** Reads CUSTOMER_SEGMENT_AS_OF; a malformed value stops the service at boot with a ConfigError naming it. */
export function loadSegmentConfig(env: NodeJS.ProcessEnv = process.env): SegmentConfig {
  const text = env[SEGMENT_AS_OF_ENV]?.trim();
  const parsed = plainToInstance(SegmentEnvironment, text ? { CUSTOMER_SEGMENT_AS_OF: text } : {});
  const errors = validateSync(parsed);
  const asOf = text ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text) : null;
  if (errors.length > 0 || (asOf !== null && Number.isNaN(asOf.getTime()))) {
    const message = errors.flatMap((e) => Object.values(e.constraints ?? {}))[0] ?? 'is not a valid date';
    throw new ConfigError([{ variable: SEGMENT_AS_OF_ENV, message: `${message} (got "${text}")` }]);
  }
  return { asOf };
}
