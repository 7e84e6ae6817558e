import { deterministicEventId } from './sales-import.handler';

describe('deterministicEventId', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a UUID that depends only on order, event, version and content', () => {
    const id = deterministicEventId('o1', 'sales.order-approved', 1, { orderId: 'o1', approvedAt: '2017-10-02T11:07:15Z' });
    expect(id).toMatch(UUID);
    expect(deterministicEventId('o1', 'sales.order-approved', 1, { orderId: 'o1', approvedAt: '2017-10-02T11:07:15Z' })).toBe(id);
    expect(deterministicEventId('o1', 'sales.order-approved', 1, { orderId: 'o1', approvedAt: '2017-10-02T11:07:16Z' })).not.toBe(id);
    expect(deterministicEventId('o1', 'sales.order-approved', 2, { orderId: 'o1', approvedAt: '2017-10-02T11:07:15Z' })).not.toBe(id);
    expect(deterministicEventId('o2', 'sales.order-approved', 1, { orderId: 'o1', approvedAt: '2017-10-02T11:07:15Z' })).not.toBe(id);
  });
});
