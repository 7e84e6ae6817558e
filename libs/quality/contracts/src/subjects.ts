import type { ImportFile } from './import/import-files';

/** Every quality subject; the stream OLIST_QUALITY captures them all. */
export const QUALITY_STREAM_SUBJECTS = 'olist.quality.>';

export const QUALITY_SUBJECTS = {
  LOAD_CHECKED_V1: 'olist.quality.load-checked.v1',
} as const;

export type QualitySubject = (typeof QUALITY_SUBJECTS)[keyof typeof QUALITY_SUBJECTS];

/** The raw feed; the stream OLIST_IMPORT captures it. */
export const IMPORT_STREAM_SUBJECTS = 'olist.import.>';

/** The raw-feed subject of each file. */
export const IMPORT_SUBJECTS = {
  customers: 'olist.import.customers.v1',
  geolocation: 'olist.import.geolocation.v1',
  order_items: 'olist.import.order_items.v1',
  order_payments: 'olist.import.order_payments.v1',
  order_reviews: 'olist.import.order_reviews.v1',
  orders: 'olist.import.orders.v1',
  products: 'olist.import.products.v1',
  sellers: 'olist.import.sellers.v1',
  category_translation: 'olist.import.category_translation.v1',
} as const satisfies Record<ImportFile, string>;

export type ImportSubject = (typeof IMPORT_SUBJECTS)[ImportFile];
