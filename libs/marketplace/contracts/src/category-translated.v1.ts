import { JSON_SCHEMA_DIALECT } from './schema-fragments';
import { MARKETPLACE_SUBJECTS } from './subjects';

export interface CategoryTranslatedV1 {
  category: string;
  categoryEn: string;
}

const example: CategoryTranslatedV1 = {
  category: 'beleza_saude',
  categoryEn: 'health_beauty',
};

export const CATEGORY_TRANSLATED_V1 = {
  context: 'marketplace',
  name: 'category-translated',
  type: 'marketplace.category-translated',
  version: 1,
  subject: MARKETPLACE_SUBJECTS.CATEGORY_TRANSLATED_V1,
  compatibility: 'BACKWARD',
  description:
    'A category got its English name, or another one (a row of product_category_name_translation). It names every ' +
    "product of the category from then on, also those listed before it with none: their product-listed events carried " +
    'categoryEn null. Aggregate: the category. Business time: the load.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'marketplace.category-translated v1',
    type: 'object',
    additionalProperties: false,
    required: ['category', 'categoryEn'],
    properties: {
      category: { type: 'string', minLength: 1 },
      categoryEn: { type: 'string', minLength: 1 },
    },
  },
  example,
} as const;
