import * as sales from './index';

const isContract = (value: unknown): value is { subject: string; context: string } =>
  typeof value === 'object' && value !== null && 'schema' in value && 'subject' in value;

describe('sales contracts', () => {
  const exported = Object.values(sales).filter(isContract);

  it('lists every exported contract in SALES_CONTRACTS', () => {
    expect(new Set(sales.SALES_CONTRACTS)).toEqual(new Set(exported));
  });

  it('has exactly one subject constant per contract', () => {
    expect(sales.SALES_CONTRACTS.map((c) => c.subject).sort()).toEqual(Object.values(sales.SALES_SUBJECTS).sort());
  });

  it('publishes only sales subjects', () => {
    for (const contract of sales.SALES_CONTRACTS) {
      expect(contract.context).toBe('sales');
      expect(contract.subject.startsWith(sales.SALES_STREAM_SUBJECTS.slice(0, -1))).toBe(true);
    }
  });
});
