import { ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { MARKETPLACE_SUBJECTS } from './subjects';

export interface ProductRecategorizedV1 {
  productId: string;
  fromCategory: string;
  toCategory: string;
  toCategoryEn: string | null;
}

const example: ProductRecategorizedV1 = {
  productId: '87285b34884572647811a353c7ac498a',
  fromCategory: 'uncategorized',
  toCategory: 'utilidades_domesticas',
  toCategoryEn: 'housewares',
};

export const PRODUCT_RECATEGORIZED_V1 = {
  context: 'marketplace',
  name: 'product-recategorized',
  type: 'marketplace.product-recategorized',
  version: 1,
  subject: MARKETPLACE_SUBJECTS.PRODUCT_RECATEGORIZED_V1,
  compatibility: 'BACKWARD',
  description: 'A listed product moved to another category (a re-load changed product_category_name). Business time: the load.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'marketplace.product-recategorized v1',
    type: 'object',
    additionalProperties: false,
    required: ['productId', 'fromCategory', 'toCategory', 'toCategoryEn'],
    properties: {
      productId: ID,
      fromCategory: { type: 'string', minLength: 1 },
      toCategory: { type: 'string', minLength: 1 },
      toCategoryEn: { type: ['string', 'null'], minLength: 1 },
    },
  },
  example,
} as const;
