/** Every sales subject; the stream OLIST_SALES captures them all. */
export const SALES_STREAM_SUBJECTS = 'olist.sales.>';

export const SALES_SUBJECTS = {
  ORDER_PLACED_V1: 'olist.sales.order-placed.v1',
  ORDER_APPROVED_V1: 'olist.sales.order-approved.v1',
  PAYMENT_RECEIVED_V1: 'olist.sales.payment-received.v1',
  ORDER_CANCELLED_V1: 'olist.sales.order-cancelled.v1',
  ORDER_COMPLETED_V1: 'olist.sales.order-completed.v1',
} as const;

export type SalesSubject = (typeof SALES_SUBJECTS)[keyof typeof SALES_SUBJECTS];
