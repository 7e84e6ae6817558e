import { Money, unwrap } from '@olist/shared-kernel';
import { Order, type OrderHeader } from './order.aggregate';
import { OrderErrorCode } from './order.errors';
import type { OrderItem, OrderPayment } from './order-line';

const brl = (text: string) => unwrap(Money.parse(text));

const header = (overrides: Partial<OrderHeader> = {}): OrderHeader => ({
  orderId: 'o1',
  customerId: 'c1',
  status: 'approved',
  purchasedAt: new Date('2017-10-02T10:56:33Z'),
  approvedAt: new Date('2017-10-02T11:07:15Z'),
  deliveredCarrierAt: null,
  deliveredCustomerAt: null,
  estimatedDeliveryAt: new Date('2017-10-18T00:00:00Z'),
  ...overrides,
});

const item = (itemSeq: number, price = '29.99', freight = '8.72'): OrderItem => ({
  itemSeq,
  productId: 'p1',
  sellerId: 's1',
  price: brl(price),
  freight: brl(freight),
  shippingLimitAt: new Date('2017-10-06T11:07:15Z'),
});

const payment = (sequential: number, value: string): OrderPayment => ({ sequential, type: 'credit_card', installments: 1, value: brl(value) });

const delivered = () =>
  header({ status: 'delivered', deliveredCarrierAt: new Date('2017-10-04T19:55:00Z'), deliveredCustomerAt: new Date('2017-10-10T21:25:13Z') });

describe('Order', () => {
  it('totals Σ (price + freight) exactly, to the centavo', () => {
    const order = unwrap(Order.place(header(), [item(1, '0.10', '0.20'), item(2, '199.0', '17.87')]));
    expect(order.itemsTotal.toDecimalString()).toBe('199.10');
    expect(order.freightTotal.toDecimalString()).toBe('18.07');
    expect(order.total.toDecimalString()).toBe('217.17');
  });

  it('keeps an order without items, with the issue ORDER.NO_ITEMS, and raises no order-placed', () => {
    const order = unwrap(Order.place(header()));
    expect(order.issues.map((i) => i.code)).toContain(OrderErrorCode.NO_ITEMS);
    expect(order.eventsSince(null).map((e) => e.type)).toEqual(['sales.order-approved']);
  });

  it('reconciles payments against the item total and records the difference', () => {
    const order = unwrap(Order.place(header(), [item(1)], [payment(1, '18.12'), payment(2, '18.59'), payment(3, '2.00')]));
    expect(order.paymentsTotal.toDecimalString()).toBe('38.71');
    expect(order.paymentDifference.isZero()).toBe(true);
    expect(order.issues).toEqual([]);
    const short = unwrap(Order.place(header(), [item(1)], [payment(1, '30.00')]));
    expect(short.paymentDifference.toDecimalString()).toBe('-8.71');
    expect(short.issues.map((i) => i.code)).toEqual([OrderErrorCode.PAYMENT_MISMATCH]);
  });

  it('refuses the same item or payment sequence twice', () => {
    expect(Order.place(header(), [item(1), item(1)])).toMatchObject({ ok: false, error: { code: OrderErrorCode.DUPLICATE_ITEM } });
    expect(Order.place(header(), [item(1)], [payment(1, '1.00'), payment(1, '2.00')])).toMatchObject({
      ok: false,
      error: { code: OrderErrorCode.DUPLICATE_PAYMENT },
    });
  });

  it('refuses negative amounts, bad sequences and bad installments', () => {
    expect(Order.place(header(), [item(1, '-1.00')])).toMatchObject({ ok: false, error: { code: OrderErrorCode.NEGATIVE_AMOUNT } });
    expect(Order.place(header(), [item(0)])).toMatchObject({ ok: false, error: { code: OrderErrorCode.INVALID_SEQUENCE } });
    expect(Order.place(header(), [], [payment(1, '-0.01')])).toMatchObject({ ok: false, error: { code: OrderErrorCode.NEGATIVE_AMOUNT } });
    expect(Order.place(header(), [], [{ ...payment(1, '1.00'), installments: -1 }])).toMatchObject({
      ok: false,
      error: { code: OrderErrorCode.INVALID_INSTALLMENTS },
    });
  });

  it('flags a delivered order without a delivery date and raises no order-completed for it', () => {
    const order = unwrap(Order.place(header({ status: 'delivered' }), [item(1)]));
    expect(order.issues.map((i) => i.code)).toContain(OrderErrorCode.DELIVERED_WITHOUT_DATE);
    expect(order.eventsSince(null).map((e) => e.type)).not.toContain('sales.order-completed');
  });

  it('refuses a status going back, as a value with a stable code', () => {
    const shipped = unwrap(Order.place(header({ status: 'shipped' }), [item(1)]));
    expect(shipped.revise({ header: header({ status: 'approved' }) })).toMatchObject({ ok: false, error: { code: OrderErrorCode.INVALID_TRANSITION } });
  });

  it('does not modify a delivered order, but completes its still unknown items and payments', () => {
    const order = unwrap(Order.place(delivered(), [item(1)]));
    expect(order.revise({ header: { ...delivered(), customerId: 'c2' } })).toMatchObject({ ok: false, error: { code: OrderErrorCode.DELIVERED_IS_FINAL } });
    expect(order.revise({ items: [item(1, '1.00')] })).toMatchObject({ ok: false, error: { code: OrderErrorCode.DELIVERED_IS_FINAL } });
    const completed = unwrap(order.revise({ items: [item(2, '10.00', '0.00')], payments: [payment(1, '48.71')] }));
    expect(completed.total.toDecimalString()).toBe('48.71');
  });

  it('raises placed, approved, payment-received and completed with business times and contract-shaped payloads', () => {
    const order = unwrap(Order.place(delivered(), [item(1)], [payment(1, '38.71')]));
    const events = order.eventsSince(null);
    expect(events.map((e) => [e.type, e.occurredAt.toISOString()])).toEqual([
      ['sales.order-placed', '2017-10-02T10:56:33.000Z'],
      ['sales.order-approved', '2017-10-02T11:07:15.000Z'],
      ['sales.payment-received', '2017-10-02T11:07:15.000Z'],
      ['sales.order-completed', '2017-10-10T21:25:13.000Z'],
    ]);
    expect(events[0]?.payload).toMatchObject({ orderTotal: '38.71', itemsTotal: '29.99', freightTotal: '8.72', purchasedAt: '2017-10-02T10:56:33Z' });
  });

  it('raises order-cancelled once when an order is canceled', () => {
    const open = unwrap(Order.place(header(), [item(1)]));
    const canceled = unwrap(open.revise({ header: header({ status: 'canceled' }) }));
    expect(canceled.eventsSince(open)).toEqual([
      {
        type: 'sales.order-cancelled',
        occurredAt: new Date('2017-10-02T11:07:15Z'),
        payload: { orderId: 'o1', status: 'canceled', cancelledAt: null, reason: 'order_status is canceled in the source data' },
      },
    ]);
    expect(canceled.eventsSince(canceled)).toEqual([]);
  });

  it('raises only what changed: a new item re-raises order-placed, nothing else', () => {
    const first = unwrap(Order.place(header(), [item(1)], [payment(1, '38.71')]));
    const second = unwrap(first.revise({ items: [item(2)] }));
    expect(second.eventsSince(first).map((e) => e.type)).toEqual(['sales.order-placed']);
    expect(first.eventsSince(first)).toEqual([]);
  });

  it('ends in the same state whatever order items, payments and the header arrive in', () => {
    const inOrder = unwrap(unwrap(unwrap(Order.place(header())).revise({ items: [item(1)] })).revise({ payments: [payment(1, '38.71')] }));
    const reversed = unwrap(Order.place(header(), [item(1)], [payment(1, '38.71')]));
    expect(reversed.eventsSince(inOrder)).toEqual([]);
    expect(inOrder.eventsSince(reversed)).toEqual([]);
  });
});
