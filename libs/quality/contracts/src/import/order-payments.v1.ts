import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportOrderPaymentsV1 = ImportBatchV1<'order_payments'>;

const example: ImportOrderPaymentsV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_order_payments_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        order_id: 'e481f51cbdc54678b7cc49136f2d6af7',
        payment_sequential: '1',
        payment_type: 'credit_card',
        payment_installments: '1',
        payment_value: '18.12',
      },
    },
  ],
};

export const IMPORT_ORDER_PAYMENTS_V1 = importFeedContract(
  'order_payments',
  'Accepted rows of olist_order_payments_dataset.csv (one row per payment of an order).',
  example,
);
