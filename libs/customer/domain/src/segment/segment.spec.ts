import { Money } from '@olist/shared-kernel';
import {
  type CustomerMetrics,
  NO_ORDERS,
  Segment,
  defaultAsOf,
  isChurned,
  isLoyal,
  isNew,
  isOneTime,
  isRegular,
  isVip,
  segmentChange,
  segmentOf,
} from './segment';

const asOf = new Date('2018-10-17T17:30:18Z');
const daysBefore = (days: number) => new Date(asOf.getTime() - days * 86_400_000);
const metrics = (orders: number, centavos: number, lastOrderDaysAgo = 10): CustomerMetrics => ({
  orders,
  monetary: Money.ofCentavos(centavos),
  lastOrderAt: orders === 0 ? null : daysBefore(lastOrderDaysAgo),
});

describe('customer segments', () => {
  describe('CHURNED: more than 180 days since the last order', () => {
    it('is churned one second after 180 days, not at exactly 180 days', () => {
      expect(isChurned(metrics(1, 1000, 180), asOf)).toBe(false);
      expect(isChurned({ ...metrics(1, 1000), lastOrderAt: new Date(daysBefore(180).getTime() - 1000) }, asOf)).toBe(true);
      expect(segmentOf(metrics(1, 1000, 181), asOf)).toBe(Segment.CHURNED);
    });

    it('beats VIP: a lapsed big spender is churned', () => {
      expect(segmentOf(metrics(8, 500_000, 200), asOf)).toBe(Segment.CHURNED);
    });

    it('never applies to a customer without orders', () => {
      expect(isChurned(NO_ORDERS, asOf)).toBe(false);
    });
  });

  describe('VIP: more than 5 orders and more than R$ 1,000', () => {
    it('needs both', () => {
      expect(isVip(metrics(6, 100_001))).toBe(true);
      expect(isVip(metrics(6, 100_000))).toBe(false);
      expect(isVip(metrics(5, 900_000))).toBe(false);
      expect(segmentOf(metrics(6, 100_001), asOf)).toBe(Segment.VIP);
    });
  });

  describe('LOYAL: more than 5 orders', () => {
    it('is loyal at 6 orders up to R$ 1,000', () => {
      expect(isLoyal(metrics(6, 100_000))).toBe(true);
      expect(isLoyal(metrics(5, 100_000))).toBe(false);
      expect(segmentOf(metrics(6, 100_000), asOf)).toBe(Segment.LOYAL);
    });
  });

  describe('REGULAR: more than 1 order', () => {
    it('covers 2 to 5 orders whatever was spent', () => {
      expect(isRegular(metrics(2, 100))).toBe(true);
      expect(segmentOf(metrics(2, 100), asOf)).toBe(Segment.REGULAR);
      expect(segmentOf(metrics(5, 900_000), asOf)).toBe(Segment.REGULAR);
    });
  });

  describe('ONE_TIME: exactly 1 order', () => {
    it('is one-time with a single recent order', () => {
      expect(isOneTime(metrics(1, 3871))).toBe(true);
      expect(segmentOf(metrics(1, 3871), asOf)).toBe(Segment.ONE_TIME);
    });
  });

  describe('NEW: no order', () => {
    it('is new without orders', () => {
      expect(isNew(NO_ORDERS)).toBe(true);
      expect(segmentOf(NO_ORDERS, asOf)).toBe(Segment.NEW);
    });
  });

  it('refuses an impossible order count', () => {
    expect(() => segmentOf({ ...NO_ORDERS, orders: -1 }, asOf)).toThrow(RangeError);
  });

  it('defaults the as-of date to the last purchase of the data set', () => {
    expect(defaultAsOf([daysBefore(3), null, asOf, daysBefore(1)])).toEqual(asOf);
    expect(defaultAsOf([])).toBeNull();
  });

  it('reports a change only when the segment differs', () => {
    expect(segmentChange(null, Segment.ONE_TIME)).toEqual({ from: null, to: Segment.ONE_TIME });
    expect(segmentChange(Segment.ONE_TIME, Segment.REGULAR)).toEqual({ from: Segment.ONE_TIME, to: Segment.REGULAR });
    expect(segmentChange(Segment.REGULAR, Segment.REGULAR)).toBeNull();
  });
});
