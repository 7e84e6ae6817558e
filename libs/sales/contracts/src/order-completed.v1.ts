import { DATE_TIME, ID, JSON_SCHEMA_DIALECT, MONEY } from './schema-fragments';
import { SALES_SUBJECTS } from './subjects';

export interface OrderCompletedV1 {
  orderId: string;
  customerId: string;
  deliveredAt: string;
  orderTotal: string;
  estimatedDeliveryAt: string;
}

const example: OrderCompletedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  customerId: '9ef432eb6251297304e76186b10a928d',
  deliveredAt: '2017-10-10T21:25:13Z',
  orderTotal: '38.71',
  estimatedDeliveryAt: '2017-10-18T00:00:00Z',
};

export const ORDER_COMPLETED_V1 = {
  context: 'sales',
  name: 'order-completed',
  type: 'sales.order-completed',
  version: 1,
  subject: SALES_SUBJECTS.ORDER_COMPLETED_V1,
  compatibility: 'BACKWARD',
  description:
    'An order was delivered to its customer and is final (business time: order_delivered_customer_date). ' +
    'A completed order is not modified any more.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'sales.order-completed v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'customerId', 'deliveredAt', 'orderTotal', 'estimatedDeliveryAt'],
    properties: {
      orderId: ID,
      customerId: ID,
      deliveredAt: DATE_TIME,
      orderTotal: MONEY,
      estimatedDeliveryAt: DATE_TIME,
    },
  },
  example,
} as const;
