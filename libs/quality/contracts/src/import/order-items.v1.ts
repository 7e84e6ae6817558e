import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportOrderItemsV1 = ImportBatchV1<'order_items'>;

const example: ImportOrderItemsV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_order_items_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        order_id: 'e481f51cbdc54678b7cc49136f2d6af7',
        order_item_id: '1',
        product_id: '87285b34884572647811a353c7ac498a',
        seller_id: '3504c0cb71d7fa48d967e0e4c94d59d9',
        shipping_limit_date: '2017-10-06 11:07:15',
        price: '29.99',
        freight_value: '8.72',
      },
    },
  ],
};

export const IMPORT_ORDER_ITEMS_V1 = importFeedContract(
  'order_items',
  'Accepted rows of olist_order_items_dataset.csv (one row per item of an order).',
  example,
);
