import { DATE_TIME, ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { CUSTOMER_SUBJECTS } from './subjects';

export interface CustomerErasedV1 {
  customerUniqueId: string;
  erasedAt: string;
}

const example: CustomerErasedV1 = {
  customerUniqueId: '7c396fd4830fd04220f754e42b4e5bff',
  erasedAt: '2024-03-01T12:00:00Z',
};

export const CUSTOMER_ERASED_V1 = {
  context: 'customer',
  name: 'customer-erased',
  type: 'customer.customer-erased',
  version: 1,
  subject: CUSTOMER_SUBJECTS.CUSTOMER_ERASED_V1,
  compatibility: 'BACKWARD',
  description:
    "A customer's personal data was erased on request (LGPD). Every consumer that keeps data about this " +
    'customerUniqueId removes or anonymises it. Business time: the erasure.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'customer.customer-erased v1',
    type: 'object',
    additionalProperties: false,
    required: ['customerUniqueId', 'erasedAt'],
    properties: {
      customerUniqueId: ID,
      erasedAt: DATE_TIME,
    },
  },
  example,
} as const;
