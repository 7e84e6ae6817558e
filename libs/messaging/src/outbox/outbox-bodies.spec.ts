import fc from 'fast-check';
import { OutboxBodies } from './outbox-bodies';

type Op = { kind: 'remember'; id: string; body: string } | { kind: 'take'; id: string };

describe('OutboxBodies', () => {
  it('gives a body back once, then no more', () => {
    const bodies = new OutboxBodies(100);
    bodies.remember('a', '[{"id":"1"}]');
    expect(bodies.size).toBe(12);
    expect(bodies.take('a')).toBe('[{"id":"1"}]');
    expect(bodies.take('a')).toBeUndefined();
    expect(bodies.size).toBe(0);
  });

  it('forgets the oldest bodies once the budget is passed, and never holds one larger than the budget', () => {
    const bodies = new OutboxBodies(10);
    bodies.remember('a', 'aaaa');
    bodies.remember('b', 'bbbb');
    bodies.remember('c', 'cccc');
    expect([bodies.take('a'), bodies.take('b'), bodies.take('c')]).toEqual([undefined, 'bbbb', 'cccc']);
    bodies.remember('d', 'x'.repeat(11));
    expect(bodies.take('d')).toBeUndefined();
    expect(bodies.size).toBe(0);
  });

  it('keeps nothing while its relay does not lead, and forgets everything when the relay loses the lead', () => {
    const bodies = new OutboxBodies(100, false);
    bodies.remember('a', 'aaaa');
    expect([bodies.size, bodies.take('a')]).toEqual([0, undefined]);
    bodies.lead(true);
    bodies.remember('b', 'bbbb');
    expect(bodies.size).toBe(4);
    bodies.lead(false);
    expect([bodies.size, bodies.take('b')]).toEqual([0, undefined]);
  });

  it('behaves like a list of (id, body) in the order remembered, trimmed from its start to the budget', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('remember' as const), id, body: fc.string({ maxLength: 12 }) }),
      fc.record({ kind: fc.constant('take' as const), id }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(op, { maxLength: 60 }), (budget, ops) => {
        const bodies = new OutboxBodies(budget);
        let model: [string, string][] = [];
        const total = () => model.reduce((n, [, b]) => n + b.length, 0);
        for (const o of ops) {
          if (o.kind === 'remember') {
            if (o.body.length > budget) continue;
            bodies.remember(o.id, o.body);
            model = model.filter(([k]) => k !== o.id);
            model.push([o.id, o.body]);
            while (total() > budget) model.shift();
          } else {
            const found = model.find(([k]) => k === o.id);
            model = model.filter(([k]) => k !== o.id);
            expect(bodies.take(o.id)).toBe(found?.[1]);
          }
          expect(bodies.size).toBe(total());
          expect(bodies.size).toBeLessThanOrEqual(budget);
        }
      }),
    );
  });
});
