import { Shipment, ShipmentAnomaly, type ShipmentInput } from './shipment';

const d = (iso: string) => new Date(iso);
const base: ShipmentInput = {
  orderId: 'o1',
  orderStatus: 'delivered',
  purchasedAt: d('2017-10-02T10:56:33Z'),
  carrierPickupAt: d('2017-10-04T19:55:00Z'),
  deliveredAt: d('2017-10-10T21:25:13Z'),
  estimatedDeliveryAt: d('2017-10-18T00:00:00Z'),
};

describe('Shipment', () => {
  it('is pending before pickup, shipped after it, delivered with a delivery', () => {
    expect(Shipment.record({ ...base, orderStatus: 'processing', carrierPickupAt: null, deliveredAt: null }).status).toBe('pending');
    expect(Shipment.record({ ...base, orderStatus: 'shipped', deliveredAt: null }).status).toBe('shipped');
    expect(Shipment.record({ ...base, orderStatus: 'shipped', carrierPickupAt: null, deliveredAt: null }).status).toBe('shipped');
    expect(Shipment.record(base).status).toBe('delivered');
  });

  it('computes the delay in calendar days, negative when early', () => {
    const s = Shipment.record(base);
    expect(s.delayDays).toBe(-8);
    expect(s.late).toBe(false);
    expect(s.deliveryDays).toBe(8.44);
    expect(s.anomalies).toEqual([]);
  });

  it('is on time on the estimated day whatever the hour, late from the next day', () => {
    expect(Shipment.record({ ...base, deliveredAt: d('2017-10-18T23:59:59Z') }).late).toBe(false);
    const late = Shipment.record({ ...base, deliveredAt: d('2017-10-19T00:00:01Z') });
    expect(late.late).toBe(true);
    expect(late.delayDays).toBe(1);
  });

  it('has no SLA without both dates', () => {
    const s = Shipment.record({ ...base, orderStatus: 'shipped', deliveredAt: null });
    expect([s.delayDays, s.late, s.deliveryDays]).toEqual([null, null, null]);
    expect(Shipment.record({ ...base, estimatedDeliveryAt: null }).late).toBeNull();
  });

  it('flags a pickup before the purchase', () => {
    expect(Shipment.record({ ...base, carrierPickupAt: d('2017-10-01T00:00:00Z') }).anomalies).toEqual([ShipmentAnomaly.CARRIER_PICKUP_BEFORE_PURCHASE]);
  });

  it('flags a delivery before the pickup', () => {
    expect(Shipment.record({ ...base, deliveredAt: d('2017-10-03T00:00:00Z') }).anomalies).toEqual([ShipmentAnomaly.DELIVERED_BEFORE_PICKUP]);
  });

  it('flags a delivered order without a delivery date and keeps it delivered', () => {
    const s = Shipment.record({ ...base, deliveredAt: null });
    expect(s.status).toBe('delivered');
    expect(s.anomalies).toEqual([ShipmentAnomaly.DELIVERED_WITHOUT_DATE]);
    expect(s.late).toBeNull();
  });

  it('refuses an empty order id', () => {
    expect(() => Shipment.record({ ...base, orderId: ' ' })).toThrow(RangeError);
  });
});
