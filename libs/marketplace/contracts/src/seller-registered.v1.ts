import { BRAZILIAN_STATES_V1, CODES, ID, JSON_SCHEMA_DIALECT, type BrazilianStateV1 } from './schema-fragments';
import { MARKETPLACE_SUBJECTS } from './subjects';

export interface SellerRegisteredV1 {
  sellerId: string;
  /** Five digits, zero-padded. A seller's address is business data, not personal data. */
  zipPrefix: string;
  city: string;
  state: BrazilianStateV1;
  /** Codes of source-data exceptions accepted with a warning, e.g. CITY_NORMALIZED. */
  flags: string[];
}

const example: SellerRegisteredV1 = {
  sellerId: '3504c0cb71d7fa48d967e0e4c94d59d9',
  zipPrefix: '09350',
  city: 'maua',
  state: 'SP',
  flags: [],
};

export const SELLER_REGISTERED_V1 = {
  context: 'marketplace',
  name: 'seller-registered',
  type: 'marketplace.seller-registered',
  version: 1,
  subject: MARKETPLACE_SUBJECTS.SELLER_REGISTERED_V1,
  compatibility: 'BACKWARD',
  description: 'A seller joined the marketplace, or a re-load changed its address (business data). Business time: the load.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'marketplace.seller-registered v1',
    type: 'object',
    additionalProperties: false,
    required: ['sellerId', 'zipPrefix', 'city', 'state', 'flags'],
    properties: {
      sellerId: ID,
      zipPrefix: { type: 'string', pattern: '^\\d{5}$' },
      city: { type: 'string', minLength: 1 },
      state: { type: 'string', enum: BRAZILIAN_STATES_V1 },
      flags: CODES,
    },
  },
  example,
} as const;
