import fc from 'fast-check';
import { Money } from '@olist/shared-kernel';
import { OrderErrorCode } from './order.errors';
import { checkTransition, isClosed, ORDER_STATUSES, type OrderStatus, parseOrderStatus } from './order-status';

const status = fc.constantFrom(...ORDER_STATUSES);
const STEP_OF: Record<string, number> = { created: 0, approved: 1, invoiced: 2, processing: 2, shipped: 3, delivered: 4 };
const HAPPY_PATH: readonly OrderStatus[] = ['created', 'approved', 'invoiced', 'shipped', 'delivered'];

describe('order status transitions (properties)', () => {
  it('staying in a status is always allowed', () => {
    fc.assert(fc.property(status, (s) => checkTransition(s, s).ok));
  });

  it('a delivered order never changes status', () => {
    fc.assert(
      fc.property(status, (to) => {
        const result = checkTransition('delivered', to);
        return to === 'delivered' ? result.ok : !result.ok && result.error.code === OrderErrorCode.DELIVERED_IS_FINAL;
      }),
    );
  });

  it('any open order may be canceled or become unavailable', () => {
    fc.assert(
      fc.property(status, (from) => {
        fc.pre(from !== 'delivered' && !isClosed(from));
        return checkTransition(from, 'canceled').ok && checkTransition(from, 'unavailable').ok;
      }),
    );
  });

  it('no sequence of allowed transitions leaves delivered or returns to an earlier step', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 30 }), (path) => {
        let current: OrderStatus = 'created';
        const visited: OrderStatus[] = [current];
        for (const next of path) {
          const result = checkTransition(current, next);
          if (result.ok) {
            current = next;
            visited.push(current);
          }
        }
        const deliveredAt = visited.indexOf('delivered');
        const neverLeftDelivered = deliveredAt < 0 || visited.slice(deliveredAt).every((s) => s === 'delivered');
        const open = visited.filter((s) => !isClosed(s)).map((s) => STEP_OF[s]);
        const stepsNeverDecrease = open.every((step, i) => i === 0 || step >= (open[i - 1] as number));
        const closedIsLast = visited.findIndex(isClosed) < 0 || visited.slice(visited.findIndex(isClosed)).every(isClosed);
        return neverLeftDelivered && stepsNeverDecrease && closedIsLast;
      }),
    );
  });

  it('the happy path created → approved → invoiced → shipped → delivered is allowed, step by step or skipping', () => {
    fc.assert(
      fc.property(fc.subarray([...HAPPY_PATH], { minLength: 1 }), (path) => {
        let current: OrderStatus = 'created';
        for (const next of path) {
          if (!checkTransition(current, next).ok) return false;
          current = next;
        }
        return true;
      }),
    );
  });

  it('going back along the happy path is refused with ORDER.INVALID_TRANSITION (or DELIVERED_IS_FINAL)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (a, b) => {
        fc.pre(b < a);
        const result = checkTransition(HAPPY_PATH[a] as OrderStatus, HAPPY_PATH[b] as OrderStatus);
        return !result.ok && [OrderErrorCode.INVALID_TRANSITION, OrderErrorCode.DELIVERED_IS_FINAL].includes(result.error.code as never);
      }),
    );
  });

  it('parses exactly the eight Olist statuses', () => {
    fc.assert(fc.property(fc.string(), (text) => parseOrderStatus(text).ok === (ORDER_STATUSES as readonly string[]).includes(text.trim())));
  });
});

describe('order money (properties)', () => {
  const amount = fc.integer({ min: 0, max: 10_000_000 }).map((c) => Money.ofCentavos(c));

  it('the order total is the same however the items are summed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(amount, amount), { maxLength: 20 }), (lines) => {
        const byLine = Money.sum(lines.map(([p, f]) => p.add(f)));
        const byColumn = Money.sum(lines.map(([p]) => p)).add(Money.sum(lines.map(([, f]) => f)));
        return byLine.equals(byColumn);
      }),
    );
  });
});
