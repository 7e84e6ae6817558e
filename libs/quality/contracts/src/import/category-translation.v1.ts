import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportCategoryTranslationV1 = ImportBatchV1<'category_translation'>;

const example: ImportCategoryTranslationV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'product_category_name_translation.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        product_category_name: 'utilidades_domesticas',
        product_category_name_english: 'housewares',
      },
    },
  ],
};

export const IMPORT_CATEGORY_TRANSLATION_V1 = importFeedContract(
  'category_translation',
  'Accepted rows of product_category_name_translation.csv (Portuguese category name to English).',
  example,
);
