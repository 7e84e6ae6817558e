import fc from 'fast-check';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { parseSourceTime, translateImportBatch, translateItemRow, translateOrderRow, translatePaymentRow } from './olist-import.acl';

const orderRow = {
  order_id: 'o1',
  customer_id: 'c1',
  order_status: 'delivered',
  order_purchase_timestamp: '2017-10-02 10:56:33',
  order_approved_at: '2017-10-02 11:07:15',
  order_delivered_carrier_date: '2017-10-04 19:55:00',
  order_delivered_customer_date: null,
  order_estimated_delivery_date: '2017-10-18 00:00:00',
};

describe('olist import ACL', () => {
  it('reads an orders row as an order header, times as UTC and empty cells as null', () => {
    const header = translateOrderRow(orderRow);
    expect(header).toMatchObject({ ok: true, value: { orderId: 'o1', status: 'delivered', deliveredCustomerAt: null } });
    expect(header.ok && header.value.purchasedAt.toISOString()).toBe('2017-10-02T10:56:33.000Z');
  });

  it('reads items and payments written by re-saved copies (199.0, 3.0)', () => {
    const item = translateItemRow({
      order_id: 'o1',
      order_item_id: '2.0',
      product_id: 'p',
      seller_id: 's',
      shipping_limit_date: '2018-01-18 14:48:30',
      price: '199.0',
      freight_value: '17.87',
    });
    expect(item.ok && [item.value.item.itemSeq, item.value.item.price.centavos, item.value.item.freight.centavos]).toEqual([2, 19900, 1787]);
    const payment = translatePaymentRow({ order_id: 'o1', payment_sequential: '1', payment_type: 'not_defined', payment_installments: '0', payment_value: '0.00' });
    expect(payment).toMatchObject({ ok: true, value: { payment: { type: 'not_defined', installments: 0 } } });
  });

  it('refuses what it cannot read with a stable code and the field', () => {
    expect(translateOrderRow({ ...orderRow, order_status: 'lost' })).toMatchObject({ ok: false, error: { code: 'ORDER.UNKNOWN_STATUS' } });
    expect(translateOrderRow({ ...orderRow, order_purchase_timestamp: '2017-02-30 10:00:00' })).toMatchObject({
      ok: false,
      error: { code: 'SALES_IMPORT.INVALID_TIME', message: expect.stringContaining('order_purchase_timestamp') },
    });
    expect(translateOrderRow({ ...orderRow, customer_id: ' ' })).toMatchObject({ ok: false, error: { code: 'SALES_IMPORT.MISSING_FIELD' } });
    expect(translatePaymentRow({ order_id: 'o1', payment_sequential: '1', payment_type: 'pix', payment_installments: '1', payment_value: '1.00' })).toMatchObject({
      ok: false,
      error: { code: 'ORDER.UNKNOWN_PAYMENT_TYPE' },
    });
  });

  it('turns a batch into commands and rejections that name file and line', () => {
    const { commands, rejections } = translateImportBatch(IMPORT_SUBJECTS.orders, {
      loadId: 'l1',
      file: 'olist_orders_dataset.csv',
      batch: 1,
      rows: [
        { line: 2, values: orderRow },
        { line: 3, values: { ...orderRow, order_id: 'o2', order_status: null } },
      ],
    });
    expect(commands.map((c) => [c.kind, c.orderId, c.source.line])).toEqual([['record-order', 'o1', 2]]);
    expect(rejections).toEqual([
      { source: { loadId: 'l1', file: 'olist_orders_dataset.csv', line: 3 }, orderId: 'o2', code: 'ORDER.UNKNOWN_STATUS', message: expect.stringMatching(/^olist_orders_dataset.csv line 3: /) },
    ]);
  });

  it('reads back every valid time it is given in the source format (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
        const text = whole.toISOString().slice(0, 19).replace('T', ' ');
        const parsed = parseSourceTime('t', text);
        return parsed.ok && parsed.value?.getTime() === whole.getTime();
      }),
    );
  });
});
