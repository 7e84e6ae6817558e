import { ORDER_APPROVED_V1 } from './order-approved.v1';
import { ORDER_CANCELLED_V1 } from './order-cancelled.v1';
import { ORDER_COMPLETED_V1 } from './order-completed.v1';
import { ORDER_PLACED_V1 } from './order-placed.v1';
import { PAYMENT_RECEIVED_V1 } from './payment-received.v1';

export * from './subjects';
export * from './order-placed.v1';
export * from './order-approved.v1';
export * from './payment-received.v1';
export * from './order-cancelled.v1';
export * from './order-completed.v1';

/** Every sales contract version, in catalog order. */
export const SALES_CONTRACTS = [ORDER_PLACED_V1, ORDER_APPROVED_V1, PAYMENT_RECEIVED_V1, ORDER_CANCELLED_V1, ORDER_COMPLETED_V1] as const;
