import type { JsonSchema } from '@olist/messaging/contracts';
import { personalDataProperties } from './personal-data';

describe('personalDataProperties', () => {
  it('finds personal-data words in property names at any depth', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        customerUniqueId: { type: 'string' },
        zipPrefix: { type: 'string' },
        customer_city: { type: 'string' },
        review: {
          type: 'object',
          properties: { reviewTitle: { type: 'string' }, message: { type: ['string', 'null'] }, score: { type: 'integer' } },
        },
        contacts: { type: 'array', items: { type: 'object', properties: { email: { type: 'string' }, firstName: { type: 'string' } } } },
        extra: { type: 'object', additionalProperties: { type: 'object', properties: { comment: { type: 'string' } } } },
      },
    };
    expect(personalDataProperties(schema)).toEqual([
      'zipPrefix',
      'customer_city',
      'review.reviewTitle',
      'review.message',
      'contacts[].email',
      'contacts[].firstName',
      'extra.*.comment',
    ]);
  });

  it('lets a boolean flag about personal data pass, and does not match inside words', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { hasComment: { type: 'boolean' }, state: { type: 'string' }, segment: { type: 'string' }, cityscape: { type: 'string' } },
    };
    expect(personalDataProperties(schema)).toEqual([]);
  });
});
