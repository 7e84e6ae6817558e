import { CorrelationContext } from './correlation.context';

describe('CorrelationContext', () => {
  it('keeps a well-formed incoming id and replaces a malformed one', () => {
    expect(CorrelationContext.idFrom('req-42:abc')).toBe('req-42:abc');
    expect(CorrelationContext.idFrom(['first', 'second'])).toBe('first');
    const fresh = CorrelationContext.idFrom('bad id with spaces\n');
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(CorrelationContext.idFrom(undefined)).not.toBe(CorrelationContext.idFrom(undefined));
  });

  it('carries the scope across awaits and keeps concurrent scopes apart', async () => {
    const seen: string[] = [];
    const work = (id: string, delay: number) =>
      CorrelationContext.run({ correlationId: id }, async () => {
        await new Promise((r) => setTimeout(r, delay));
        seen.push(`${id}=${CorrelationContext.correlationId()}`);
      });
    await Promise.all([work('a', 20), work('b', 5)]);
    expect(seen).toEqual(['b=b', 'a=a']);
    expect(CorrelationContext.current()).toBeUndefined();
  });
});
