import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportOrderReviewsV1 = ImportBatchV1<'order_reviews'>;

const example: ImportOrderReviewsV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_order_reviews_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        review_id: 'a54f0611adc9ed256b57ede6b6eb5114',
        order_id: 'e481f51cbdc54678b7cc49136f2d6af7',
        review_score: '4',
        review_comment_title: null,
        review_comment_message: 'Chegou antes do prazo, bem embalado.',
        review_creation_date: '2017-10-11 00:00:00',
        review_answer_timestamp: '2017-10-12 03:43:48',
      },
    },
  ],
};

export const IMPORT_ORDER_REVIEWS_V1 = importFeedContract(
  'order_reviews',
  'Accepted rows of olist_order_reviews_dataset.csv. Carries personal data (review title and message): consumers keep it in their own schema and never republish it.',
  example,
);
