import * as marketplace from './index';

const isContract = (value: unknown): value is { subject: string; context: string } =>
  typeof value === 'object' && value !== null && 'schema' in value && 'subject' in value;

describe('marketplace contracts', () => {
  const exported = Object.values(marketplace).filter(isContract);

  it('lists every exported contract in MARKETPLACE_CONTRACTS', () => {
    expect(new Set(marketplace.MARKETPLACE_CONTRACTS)).toEqual(new Set(exported));
  });

  it('has exactly one subject constant per contract', () => {
    expect(marketplace.MARKETPLACE_CONTRACTS.map((c) => c.subject).sort()).toEqual(Object.values(marketplace.MARKETPLACE_SUBJECTS).sort());
  });

  it('publishes only marketplace subjects', () => {
    for (const contract of marketplace.MARKETPLACE_CONTRACTS) {
      expect(contract.context).toBe('marketplace');
      expect(contract.subject.startsWith(marketplace.MARKETPLACE_STREAM_SUBJECTS.slice(0, -1))).toBe(true);
    }
  });
});
