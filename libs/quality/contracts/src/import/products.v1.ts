import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportProductsV1 = ImportBatchV1<'products'>;

const example: ImportProductsV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_products_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        product_id: '87285b34884572647811a353c7ac498a',
        product_category_name: 'utilidades_domesticas',
        product_name_lenght: '40',
        product_description_lenght: '268',
        product_photos_qty: '4',
        product_weight_g: '500',
        product_length_cm: '19',
        product_height_cm: '8',
        product_width_cm: '13',
      },
    },
  ],
};

export const IMPORT_PRODUCTS_V1 = importFeedContract(
  'products',
  "Accepted rows of olist_products_dataset.csv, with the header's own spelling (product_name_lenght, product_description_lenght).",
  example,
);
