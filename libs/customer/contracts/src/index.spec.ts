import * as customer from './index';

const isContract = (value: unknown): value is { subject: string; context: string } =>
  typeof value === 'object' && value !== null && 'schema' in value && 'subject' in value;

describe('customer contracts', () => {
  const exported = Object.values(customer).filter(isContract);

  it('lists every exported contract in CUSTOMER_CONTRACTS', () => {
    expect(new Set(customer.CUSTOMER_CONTRACTS)).toEqual(new Set(exported));
  });

  it('has exactly one subject constant per contract', () => {
    expect(customer.CUSTOMER_CONTRACTS.map((c) => c.subject).sort()).toEqual(Object.values(customer.CUSTOMER_SUBJECTS).sort());
  });

  it('publishes only customer subjects', () => {
    for (const contract of customer.CUSTOMER_CONTRACTS) {
      expect(contract.context).toBe('customer');
      expect(contract.subject.startsWith(customer.CUSTOMER_STREAM_SUBJECTS.slice(0, -1))).toBe(true);
    }
  });
});
