import { DATE_TIME, ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { SALES_SUBJECTS } from './subjects';

export interface OrderApprovedV1 {
  orderId: string;
  approvedAt: string;
}

const example: OrderApprovedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  approvedAt: '2017-10-02T11:07:15Z',
};

export const ORDER_APPROVED_V1 = {
  context: 'sales',
  name: 'order-approved',
  type: 'sales.order-approved',
  version: 1,
  subject: SALES_SUBJECTS.ORDER_APPROVED_V1,
  compatibility: 'BACKWARD',
  description: 'The payment of an order was approved (business time: order_approved_at).',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'sales.order-approved v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'approvedAt'],
    properties: {
      orderId: ID,
      approvedAt: DATE_TIME,
    },
  },
  example,
} as const;
