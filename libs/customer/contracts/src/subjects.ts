/** Every customer subject; the stream OLIST_CUSTOMER captures them all. */
export const CUSTOMER_STREAM_SUBJECTS = 'olist.customer.>';

export const CUSTOMER_SUBJECTS = {
  CUSTOMER_REGISTERED_V1: 'olist.customer.customer-registered.v1',
  REVIEW_SUBMITTED_V1: 'olist.customer.review-submitted.v1',
  CUSTOMER_SEGMENT_CHANGED_V1: 'olist.customer.customer-segment-changed.v1',
  CUSTOMER_ERASED_V1: 'olist.customer.customer-erased.v1',
} as const;

export type CustomerSubject = (typeof CUSTOMER_SUBJECTS)[keyof typeof CUSTOMER_SUBJECTS];
