import type { StoredShipment } from '../persistence/shipment.store';
import { shipmentEvents } from './fulfillment-import.handler';

const stored: StoredShipment = {
  order_id: 'o1',
  status: 'delivered',
  purchased_at: new Date('2017-10-02T10:56:33Z'),
  carrier_pickup_at: new Date('2017-10-04T19:55:00Z'),
  delivered_at: new Date('2017-10-19T08:00:00Z'),
  estimated_delivery_at: new Date('2017-10-18T00:00:00Z'),
  delay_days: 1,
  late: true,
  delivery_days: '16.88',
  anomalies: [],
  customer_state: 'RJ',
  distance_km: null,
  dispatched_event_id: null,
  completed_event_id: null,
  delayed_event_id: null,
  seller_ids: ['s1'],
};

describe('shipment events', () => {
  it('emits dispatched, completed and delayed for a late delivery with everything known', () => {
    const events = shipmentEvents(stored);
    expect(events.map((e) => e.event.type)).toEqual(['fulfillment.shipment-dispatched', 'fulfillment.delivery-completed', 'fulfillment.delivery-delayed']);
    expect(events[1]?.event).toMatchObject({ occurredAt: '2017-10-19T08:00:00Z', payload: { deliveryDays: 16.88, late: true, delayDays: 1, distanceKm: null } });
  });

  it('keeps the ids when only the distance differs, changes them when a fact does', () => {
    const ids = (s: StoredShipment) => shipmentEvents(s).map((e) => e.event.id);
    expect(ids({ ...stored, distance_km: 18.06 })).toEqual(ids(stored));
    expect(ids({ ...stored, delivered_at: new Date('2017-10-20T08:00:00Z'), delay_days: 2 })).not.toEqual(ids(stored));
  });

  it('waits for the sellers before dispatched and for the customer state before the delivery events', () => {
    expect(shipmentEvents({ ...stored, seller_ids: [] }).map((e) => e.event.type)).toEqual(['fulfillment.delivery-completed', 'fulfillment.delivery-delayed']);
    expect(shipmentEvents({ ...stored, customer_state: null }).map((e) => e.event.type)).toEqual(['fulfillment.shipment-dispatched']);
  });

  it('emits no delivery events without a delivery date', () => {
    const undelivered = { ...stored, status: 'shipped', delivered_at: null, delay_days: null, late: null, delivery_days: null };
    expect(shipmentEvents(undelivered).map((e) => e.event.type)).toEqual(['fulfillment.shipment-dispatched']);
  });
});
