import * as fulfillment from './index';

const isContract = (value: unknown): value is { subject: string; context: string } =>
  typeof value === 'object' && value !== null && 'schema' in value && 'subject' in value;

describe('fulfillment contracts', () => {
  const exported = Object.values(fulfillment).filter(isContract);

  it('lists every exported contract in FULFILLMENT_CONTRACTS', () => {
    expect(new Set(fulfillment.FULFILLMENT_CONTRACTS)).toEqual(new Set(exported));
  });

  it('has exactly one subject constant per contract', () => {
    expect(fulfillment.FULFILLMENT_CONTRACTS.map((c) => c.subject).sort()).toEqual(Object.values(fulfillment.FULFILLMENT_SUBJECTS).sort());
  });

  it('publishes only fulfillment subjects', () => {
    for (const contract of fulfillment.FULFILLMENT_CONTRACTS) {
      expect(contract.context).toBe('fulfillment');
      expect(contract.subject.startsWith(fulfillment.FULFILLMENT_STREAM_SUBJECTS.slice(0, -1))).toBe(true);
    }
  });
});
