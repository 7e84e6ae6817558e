import { contentEventId, withContentId } from './content-event-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('contentEventId', () => {
  it('keeps the ids events already carry (a re-load after an upgrade is recognised)', () => {
    expect(contentEventId('o1', 'sales.order-approved', 1, { orderId: 'o1', approvedAt: '2017-10-02T11:07:15Z' })).toBe(
      '41575e89-0a38-3c34-bf92-aff89930ce62',
    );
    expect(contentEventId('Ω-1', 'customer.x', 2, { city: 'São Paulo' })).toBe('36c37707-c2d9-3365-8a57-1d90db422b1a');
  });

  it('is a UUID that depends on aggregate, type, version and content alone', () => {
    const content = { orderId: 'o1', approvedAt: '2017-10-02T11:07:15Z' };
    const id = contentEventId('o1', 'sales.order-approved', 1, content);
    expect(id).toMatch(UUID);
    expect(contentEventId('o1', 'sales.order-approved', 1, content)).toBe(id);
    expect(contentEventId('o2', 'sales.order-approved', 1, content)).not.toBe(id);
    expect(contentEventId('o1', 'sales.order-placed', 1, content)).not.toBe(id);
    expect(contentEventId('o1', 'sales.order-approved', 2, content)).not.toBe(id);
    expect(contentEventId('o1', 'sales.order-approved', 1, { ...content, approvedAt: '2017-10-02T11:07:16Z' })).not.toBe(id);
  });
});

describe('withContentId', () => {
  const event = { type: 'fulfillment.delivery-completed', version: 1, subject: 'olist.fulfillment.delivery-completed.v1', aggregateId: 'o1', occurredAt: '2017-10-19T08:00:00Z' };

  it('derives the id from the payload', () => {
    const payload = { orderId: 'o1', late: true, distanceKm: 18.06 };
    const made = withContentId({ ...event, payload });
    expect(made.id).toBe(contentEventId('o1', event.type, 1, payload));
    expect(made).toEqual({ ...event, payload, id: made.id });
  });

  it('derives the id from idContent when given', () => {
    const made = withContentId({ ...event, payload: { orderId: 'o1', distanceKm: 18.06 } }, { orderId: 'o1' });
    expect(made.id).toBe(withContentId({ ...event, payload: { orderId: 'o1', distanceKm: null } }, { orderId: 'o1' }).id);
    expect(made.id).toBe(contentEventId('o1', event.type, 1, { orderId: 'o1' }));
  });
});
