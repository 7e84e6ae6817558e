import { CODES, ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { MARKETPLACE_SUBJECTS } from './subjects';

/** The category of a product without one in the source data. */
export const UNCATEGORIZED = 'uncategorized';

export interface ProductDimensionsV1 {
  weightG: number | null;
  lengthCm: number | null;
  heightCm: number | null;
  widthCm: number | null;
}

export interface ProductListedV1 {
  productId: string;
  /** product_category_name (Portuguese), or `uncategorized`. */
  category: string;
  /** English name from the category translation; null when there is none. */
  categoryEn: string | null;
  dimensions: ProductDimensionsV1;
  photosQty: number | null;
  /** Codes of source-data exceptions accepted with a warning, e.g. MISSING_CATEGORY, ZERO_WEIGHT. */
  exceptions: string[];
}

const example: ProductListedV1 = {
  productId: '87285b34884572647811a353c7ac498a',
  category: 'utilidades_domesticas',
  categoryEn: 'housewares',
  dimensions: { weightG: 500, lengthCm: 19, heightCm: 8, widthCm: 13 },
  photosQty: 4,
  exceptions: [],
};

const MEASURE = { type: ['number', 'null'], minimum: 0 } as const;

export const PRODUCT_LISTED_V1 = {
  context: 'marketplace',
  name: 'product-listed',
  type: 'marketplace.product-listed',
  version: 1,
  subject: MARKETPLACE_SUBJECTS.PRODUCT_LISTED_V1,
  compatibility: 'BACKWARD',
  description:
    'A product entered the catalog, or a re-load changed its attributes, with its category (or "uncategorized") ' +
    'and dimensions; missing measures are null. categoryEn is the English name known then: null before the ' +
    "category's translation arrives, which category-translated then tells. Business time: the load.",
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'marketplace.product-listed v1',
    type: 'object',
    additionalProperties: false,
    required: ['productId', 'category', 'categoryEn', 'dimensions', 'photosQty', 'exceptions'],
    properties: {
      productId: ID,
      category: { type: 'string', minLength: 1 },
      categoryEn: { type: ['string', 'null'], minLength: 1 },
      dimensions: {
        type: 'object',
        additionalProperties: false,
        required: ['weightG', 'lengthCm', 'heightCm', 'widthCm'],
        properties: {
          weightG: MEASURE,
          lengthCm: MEASURE,
          heightCm: MEASURE,
          widthCm: MEASURE,
        },
      },
      photosQty: { type: ['integer', 'null'], minimum: 0 },
      exceptions: CODES,
    },
  },
  example,
} as const;
