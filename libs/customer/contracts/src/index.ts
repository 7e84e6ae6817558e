import { CUSTOMER_ERASED_V1 } from './customer-erased.v1';
import { CUSTOMER_REGISTERED_V1 } from './customer-registered.v1';
import { CUSTOMER_SEGMENT_CHANGED_V1 } from './customer-segment-changed.v1';
import { REVIEW_SUBMITTED_V1 } from './review-submitted.v1';

export { BRAZILIAN_STATES_V1, type BrazilianStateV1 } from './schema-fragments';
export * from './subjects';
export * from './customer-registered.v1';
export * from './review-submitted.v1';
export * from './customer-segment-changed.v1';
export * from './customer-erased.v1';

/** Every customer contract version, in catalog order. */
export const CUSTOMER_CONTRACTS = [CUSTOMER_REGISTERED_V1, REVIEW_SUBMITTED_V1, CUSTOMER_SEGMENT_CHANGED_V1, CUSTOMER_ERASED_V1] as const;
