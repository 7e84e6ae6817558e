/** Every fulfillment subject; the stream OLIST_FULFILLMENT captures them all. */
export const FULFILLMENT_STREAM_SUBJECTS = 'olist.fulfillment.>';

export const FULFILLMENT_SUBJECTS = {
  SHIPMENT_DISPATCHED_V1: 'olist.fulfillment.shipment-dispatched.v1',
  DELIVERY_COMPLETED_V1: 'olist.fulfillment.delivery-completed.v1',
  DELIVERY_DELAYED_V1: 'olist.fulfillment.delivery-delayed.v1',
  SHIPMENT_DISTANCE_CHANGED_V1: 'olist.fulfillment.shipment-distance-changed.v1',
} as const;

export type FulfillmentSubject = (typeof FULFILLMENT_SUBJECTS)[keyof typeof FULFILLMENT_SUBJECTS];
