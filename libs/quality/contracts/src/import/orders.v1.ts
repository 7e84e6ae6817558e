import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportOrdersV1 = ImportBatchV1<'orders'>;

const example: ImportOrdersV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_orders_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        order_id: 'e481f51cbdc54678b7cc49136f2d6af7',
        customer_id: '9ef432eb6251297304e76186b10a928d',
        order_status: 'delivered',
        order_purchase_timestamp: '2017-10-02 10:56:33',
        order_approved_at: '2017-10-02 11:07:15',
        order_delivered_carrier_date: '2017-10-04 19:55:00',
        order_delivered_customer_date: '2017-10-10 21:25:13',
        order_estimated_delivery_date: '2017-10-18 00:00:00',
      },
    },
  ],
};

export const IMPORT_ORDERS_V1 = importFeedContract(
  'orders',
  'Accepted rows of olist_orders_dataset.csv; sales and fulfillment each keep their part.',
  example,
);
