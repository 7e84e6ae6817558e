import { BRAZILIAN_STATES_V1, ID, JSON_SCHEMA_DIALECT, type BrazilianStateV1 } from './schema-fragments';
import { CUSTOMER_SUBJECTS } from './subjects';

export interface CustomerRegisteredV1 {
  customerUniqueId: string;
  /** The per-order customer_id values known for this person so far. */
  customerIds: string[];
  state: BrazilianStateV1;
}

const example: CustomerRegisteredV1 = {
  customerUniqueId: '7c396fd4830fd04220f754e42b4e5bff',
  customerIds: ['9ef432eb6251297304e76186b10a928d'],
  state: 'SP',
};

export const CUSTOMER_REGISTERED_V1 = {
  context: 'customer',
  name: 'customer-registered',
  type: 'customer.customer-registered',
  version: 1,
  subject: CUSTOMER_SUBJECTS.CUSTOMER_REGISTERED_V1,
  compatibility: 'BACKWARD',
  description:
    'A person (customer_unique_id) became known, or gained customer ids. Carries only ids and the state: ' +
    'zip prefix and city are personal data and stay in the customer context. Business time: the load.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'customer.customer-registered v1',
    type: 'object',
    additionalProperties: false,
    required: ['customerUniqueId', 'customerIds', 'state'],
    properties: {
      customerUniqueId: ID,
      customerIds: { type: 'array', minItems: 1, items: ID },
      state: { type: 'string', enum: BRAZILIAN_STATES_V1 },
    },
  },
  example,
} as const;
