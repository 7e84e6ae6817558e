import { DATE_TIME, ID, JSON_SCHEMA_DIALECT, MONEY } from './schema-fragments';
import { SALES_SUBJECTS } from './subjects';

export type OrderStatusV1 = 'created' | 'approved' | 'invoiced' | 'processing' | 'shipped' | 'delivered' | 'canceled' | 'unavailable';

export const ORDER_STATUSES_V1: readonly OrderStatusV1[] = [
  'created',
  'approved',
  'invoiced',
  'processing',
  'shipped',
  'delivered',
  'canceled',
  'unavailable',
];

export interface OrderPlacedItemV1 {
  /** order_item_id: 1, 2, … within the order. */
  itemSeq: number;
  productId: string;
  sellerId: string;
  price: string;
  freight: string;
  shippingLimitAt: string;
}

export interface OrderPlacedV1 {
  orderId: string;
  customerId: string;
  status: OrderStatusV1;
  purchasedAt: string;
  items: OrderPlacedItemV1[];
  itemsTotal: string;
  freightTotal: string;
  orderTotal: string;
}

const example: OrderPlacedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  customerId: '9ef432eb6251297304e76186b10a928d',
  status: 'delivered',
  purchasedAt: '2017-10-02T10:56:33Z',
  items: [
    {
      itemSeq: 1,
      productId: '87285b34884572647811a353c7ac498a',
      sellerId: '3504c0cb71d7fa48d967e0e4c94d59d9',
      price: '29.99',
      freight: '8.72',
      shippingLimitAt: '2017-10-06T11:07:15Z',
    },
  ],
  itemsTotal: '29.99',
  freightTotal: '8.72',
  orderTotal: '38.71',
};

export const ORDER_PLACED_V1 = {
  context: 'sales',
  name: 'order-placed',
  type: 'sales.order-placed',
  version: 1,
  subject: SALES_SUBJECTS.ORDER_PLACED_V1,
  compatibility: 'BACKWARD',
  description:
    'An order was placed with its items (business time: order_purchase_timestamp). ' +
    'orderTotal = itemsTotal + freightTotal, each the sum over the items; status is the order status when it was recorded.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'sales.order-placed v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'customerId', 'status', 'purchasedAt', 'items', 'itemsTotal', 'freightTotal', 'orderTotal'],
    properties: {
      orderId: ID,
      customerId: { ...ID, description: 'customer_id of this order (one per order); customer maps it to the person' },
      status: { type: 'string', enum: ORDER_STATUSES_V1 },
      purchasedAt: DATE_TIME,
      items: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['itemSeq', 'productId', 'sellerId', 'price', 'freight', 'shippingLimitAt'],
          properties: {
            itemSeq: { type: 'integer', minimum: 1 },
            productId: ID,
            sellerId: ID,
            price: MONEY,
            freight: MONEY,
            shippingLimitAt: DATE_TIME,
          },
        },
      },
      itemsTotal: MONEY,
      freightTotal: MONEY,
      orderTotal: MONEY,
    },
  },
  example,
} as const;
