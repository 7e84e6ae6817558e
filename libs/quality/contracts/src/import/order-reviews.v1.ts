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
        // 'Chegou antes do prazo, bem embalado.', sealed as the feed carries it
        review_comment_message: 'pii:v2:feed-2026:5uY5gG71svcwhcguY_5irYmNheSMCndJiHxJbLGVIfUDXTzj0fl_TVMbpe8JwaVO2TDoMsqxWbh_8xhftibJkSH2zT8QPkk7fHma6A',
        review_creation_date: '2017-10-11 00:00:00',
        review_answer_timestamp: '2017-10-12 03:43:48',
      },
    },
  ],
};

export const IMPORT_ORDER_REVIEWS_V1 = importFeedContract(
  'order_reviews',
  'Accepted rows of olist_order_reviews_dataset.csv. The personal columns (review_comment_title, review_comment_message) are sealed: `pii:v2:<keyId>:<base64url>` (XChaCha20-Poly1305 under OLIST_FEED_KEYS, the column name as associated data; `pii:v1:` values, AES-256-GCM, are still accepted), null when empty; consumers unseal them in memory, keep them encrypted in their own schema and never republish them.',
  example,
);
