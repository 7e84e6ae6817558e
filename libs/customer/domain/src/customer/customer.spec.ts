import { Customer, customerAccount, customersFromRows } from './customer';

const row = (customerId: string, city = 'franca', zipPrefix = '14409', state = 'SP') => ({
  customerUniqueId: 'u1',
  customerId,
  zipPrefix,
  city,
  state,
});

describe('Customer', () => {
  it('groups the customer ids of one person with the address of its lowest customer id', () => {
    const { customers, rejected } = customersFromRows([row('c2', 'sao paulo', '01529'), row('c1'), row('c2')]);
    expect(rejected).toEqual([]);
    expect(customers).toHaveLength(1);
    expect(customers[0].customerIds).toEqual(['c1', 'c2']);
    expect(customers[0].address).toEqual({ zipPrefix: '14409', city: 'franca', state: 'SP' });
    expect(customers[0].registration()).toEqual({ customerUniqueId: 'u1', customerIds: ['c1', 'c2'], state: 'SP' });
  });

  it('pads a four-digit zip prefix and refuses an unknown state', () => {
    const padded = customerAccount(row('c1', 'franca', '1529'));
    expect(padded.ok && padded.value.address.zipPrefix).toBe('01529');
    const { customers, rejected } = customersFromRows([row('c1', 'franca', '14409', 'XX')]);
    expect(customers).toEqual([]);
    expect(rejected[0].error.code).toBe('ADDRESS.UF_UNKNOWN');
  });

  it('is registered again only when it gained a customer id or moved state', () => {
    const a = customersFromRows([row('c1')]).customers[0];
    const same = customersFromRows([row('c1')]).customers[0];
    const more = a.merge(customersFromRows([row('c0', 'recife', '50000', 'PE')]).customers[0].accounts);
    expect(a.registeredSince(null)).toBe(true);
    expect(same.registeredSince(a)).toBe(false);
    expect(more.customerIds).toEqual(['c0', 'c1']);
    expect(more.registeredSince(a)).toBe(true);
  });

  it('refuses a customer without id or accounts', () => {
    const none = Customer.register('u1', []);
    expect(!none.ok && none.error.code).toBe('CUSTOMER.NO_ACCOUNT');
    const empty = Customer.register(' ', customersFromRows([row('c1')]).customers[0].accounts);
    expect(!empty.ok && empty.error.code).toBe('CUSTOMER.ID_EMPTY');
  });
});
