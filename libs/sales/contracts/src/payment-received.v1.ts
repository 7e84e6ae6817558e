import { ID, JSON_SCHEMA_DIALECT, MONEY } from './schema-fragments';
import { SALES_SUBJECTS } from './subjects';

export type PaymentTypeV1 = 'credit_card' | 'boleto' | 'voucher' | 'debit_card' | 'not_defined';

export const PAYMENT_TYPES_V1: readonly PaymentTypeV1[] = ['credit_card', 'boleto', 'voucher', 'debit_card', 'not_defined'];

export interface PaymentV1 {
  /** payment_sequential: 1, 2, … within the order. */
  sequential: number;
  type: PaymentTypeV1;
  /** 0 occurs in the source data and is kept as is. */
  installments: number;
  value: string;
}

export interface PaymentReceivedV1 {
  orderId: string;
  payments: PaymentV1[];
  paymentsTotal: string;
}

const example: PaymentReceivedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  payments: [
    { sequential: 1, type: 'credit_card', installments: 1, value: '18.12' },
    { sequential: 2, type: 'voucher', installments: 1, value: '18.59' },
    { sequential: 3, type: 'voucher', installments: 1, value: '2.00' },
  ],
  paymentsTotal: '38.71',
};

export const PAYMENT_RECEIVED_V1 = {
  context: 'sales',
  name: 'payment-received',
  type: 'sales.payment-received',
  version: 1,
  subject: SALES_SUBJECTS.PAYMENT_RECEIVED_V1,
  compatibility: 'BACKWARD',
  description:
    'The payments of an order were recorded, all of them in one event (business time: order_approved_at, ' +
    'else order_purchase_timestamp). paymentsTotal is the sum of the payment values.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'sales.payment-received v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'payments', 'paymentsTotal'],
    properties: {
      orderId: ID,
      payments: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['sequential', 'type', 'installments', 'value'],
          properties: {
            sequential: { type: 'integer', minimum: 1 },
            type: { type: 'string', enum: PAYMENT_TYPES_V1 },
            installments: { type: 'integer', minimum: 0 },
            value: MONEY,
          },
        },
      },
      paymentsTotal: MONEY,
    },
  },
  example,
} as const;
