import { randomBytes } from 'node:crypto';
import { PiiCipher, parsePiiKeys } from '@olist/pii';
import { IMPORT_SUBJECTS, type ImportCustomersV1 } from '@olist/quality-contracts';
import { FulfillmentImportErrorCode, translateCustomerRow, translateGeolocationRow, translateImportBatch, translateOrderRow } from './olist-import.acl';

const feed = new PiiCipher(parsePiiKeys(`feed-1:${randomBytes(32).toString('base64')}`, 'OLIST_FEED_KEYS'));
/** A customer row as the quality relay publishes it: zip prefix and city sealed. */
const customer = (zip: string, city = 'sao paulo') => ({
  customer_id: 'c1',
  customer_unique_id: 'u1',
  customer_zip_code_prefix: feed.seal(zip, 'customer_zip_code_prefix'),
  customer_city: feed.seal(city, 'customer_city'),
  customer_state: 'SP',
});

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
    const r = translateCustomerRow(customer('1037'), feed);
    expect(r.ok && r.value).toEqual({ customerId: 'c1', zipPrefix: '01037', state: 'SP' });
  });

  it('refuses a customer whose zip prefix does not unseal or is invalid, without quoting it', () => {
    const other = new PiiCipher(parsePiiKeys(`feed-2:${randomBytes(32).toString('base64')}`, 'OLIST_FEED_KEYS'));
    const rows = [
      { ...customer('1037'), customer_zip_code_prefix: '98765' },
      { ...customer('1037'), customer_zip_code_prefix: other.seal('98765', 'customer_zip_code_prefix') },
      customer('98a65'),
    ];
    const batch = { loadId: 'l1', file: 'olist_customers_dataset.csv', batch: 1, rows: rows.map((values, i) => ({ line: 2 + i, values })) } as ImportCustomersV1;
    const t = translateImportBatch(IMPORT_SUBJECTS.customers, batch, feed);
    expect(t.customers).toEqual([]);
    expect(t.refused.map((r) => [r.line, r.code])).toEqual([
      [2, FulfillmentImportErrorCode.SEALED_VALUE_UNREADABLE],
      [3, FulfillmentImportErrorCode.SEALED_VALUE_UNREADABLE],
      [4, 'ADDRESS.ZIP_NOT_NUMERIC'],
    ]);
    expect(t.refused[1]!.message).toContain('no key with id feed-2');
    expect(JSON.stringify(t.refused)).not.toMatch(/98765|98a65/);
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
    }, feed);
    expect(t.geolocation).toMatchObject({ loadId: 'l1', batch: 3, received: 2, unreadable: 1 });
    expect(t.refused).toEqual([expect.objectContaining({ file: 'olist_geolocation_dataset.csv', line: 3, code: 'ADDRESS.ZIP_TOO_SHORT' })]);
  });
});
