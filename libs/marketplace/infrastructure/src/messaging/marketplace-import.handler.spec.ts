import { deterministicEventId } from './marketplace-import.handler';

describe('deterministicEventId', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a UUID that depends only on aggregate, event, version and content', () => {
    const payload = { sellerId: 's1', zipPrefix: '09350', city: 'maua', state: 'SP', flags: [] };
    const id = deterministicEventId('s1', 'marketplace.seller-registered', 1, payload);
    expect(id).toMatch(UUID);
    expect(deterministicEventId('s1', 'marketplace.seller-registered', 1, { ...payload })).toBe(id);
    expect(deterministicEventId('s1', 'marketplace.seller-registered', 1, { ...payload, city: 'santo andre' })).not.toBe(id);
    expect(deterministicEventId('s1', 'marketplace.seller-registered', 2, payload)).not.toBe(id);
    expect(deterministicEventId('s2', 'marketplace.seller-registered', 1, payload)).not.toBe(id);
  });
});
