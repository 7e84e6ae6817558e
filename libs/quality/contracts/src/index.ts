import { IMPORT_CONTRACTS } from './import';
import { LOAD_CHECKED_V1 } from './load-checked.v1';

export * from './subjects';
export * from './load-checked.v1';
export * from './import';

/** Every contract version of this library: quality's own events, then the raw feed. */
export const QUALITY_CONTRACTS = [LOAD_CHECKED_V1, ...IMPORT_CONTRACTS] as const;
