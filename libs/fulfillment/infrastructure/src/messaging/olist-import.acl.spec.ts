import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { translateCustomerRow, translateGeolocationRow, translateImportBatch, translateOrderRow } from './olist-import.acl';

const order = {
  order_id: 'o1',
  customer_id: 'c1',
  order_status: 'delivered',
  order_purchase_timestamp: '2017-10-02 10:56:33',
  order_approved_at: '2017-10-02 11:07:15',
  order_delivered_carrier_date: '2017-10-04 19:55:00',
  order_delivered_customer_date: '2017-10-10 21:25:13',
  order_estimated_delivery_date: '2017-10-18 00:00:00',
};

describe('fulfillment import ACL', () => {
  it('reads an order row as a shipment, times as UTC', () => {
    const r = translateOrderRow(order);
    expect(r.ok && [r.value.customerId, r.value.shipment.status, r.value.shipment.delayDays, r.value.shipment.carrierPickupAt?.toISOString()]).toEqual([
      'c1',
      'delivered',
      -8,
      '2017-10-04T19:55:00.000Z',
    ]);
    const bad = translateOrderRow({ ...order, order_delivered_customer_date: '2017-02-30 10:00:00' });
    expect(!bad.ok && bad.error.code).toBe('FULFILLMENT_IMPORT.INVALID_TIME');
  });

  it('keeps of a customer only the zip prefix (padded) and the state', () => {
    const r = translateCustomerRow({ customer_id: 'c1', customer_unique_id: 'u1', customer_zip_code_prefix: '1037', customer_city: 'sao paulo', customer_state: 'SP' });
    expect(r.ok && r.value).toEqual({ customerId: 'c1', zipPrefix: '01037', state: 'SP' });
  });

  it('keeps geolocation coordinates as written and refuses what is not a point', () => {
    const row = { geolocation_zip_code_prefix: '1037', geolocation_lat: '-23.5456', geolocation_lng: '-46.6392', geolocation_city: 'sao paulo', geolocation_state: 'SP' };
    expect(translateGeolocationRow(row)).toEqual({ ok: true, value: { zipPrefix: '01037', lat: '-23.5456', lng: '-46.6392' } });
    expect(translateGeolocationRow({ ...row, geolocation_lat: '123' }).ok).toBe(false);
    expect(translateGeolocationRow({ ...row, geolocation_lng: '' }).ok).toBe(false);
  });

  it('counts a geolocation batch and refuses unreadable rows with file and line', () => {
    const t = translateImportBatch(IMPORT_SUBJECTS.geolocation, {
      loadId: 'l1',
      file: 'olist_geolocation_dataset.csv',
      batch: 3,
      rows: [
        { line: 2, values: { geolocation_zip_code_prefix: '01037', geolocation_lat: '-23.5', geolocation_lng: '-46.6', geolocation_city: 'x', geolocation_state: 'SP' } },
        { line: 3, values: { geolocation_zip_code_prefix: '12', geolocation_lat: '-23.5', geolocation_lng: '-46.6', geolocation_city: 'x', geolocation_state: 'SP' } },
      ],
    });
    expect(t.geolocation).toMatchObject({ loadId: 'l1', batch: 3, received: 2, unreadable: 1 });
    expect(t.refused).toEqual([expect.objectContaining({ file: 'olist_geolocation_dataset.csv', line: 3, code: 'ADDRESS.ZIP_TOO_SHORT' })]);
  });
});
