import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportSellersV1 = ImportBatchV1<'sellers'>;

const example: ImportSellersV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_sellers_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        seller_id: '3504c0cb71d7fa48d967e0e4c94d59d9',
        seller_zip_code_prefix: '09350',
        seller_city: 'maua',
        seller_state: 'SP',
      },
    },
  ],
};

export const IMPORT_SELLERS_V1 = importFeedContract(
  'sellers',
  'Accepted rows of olist_sellers_dataset.csv.',
  example,
);
