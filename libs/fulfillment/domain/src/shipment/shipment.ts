import { calendarDaysBetween } from '@olist/shared-kernel';

export type ShipmentStatus = 'pending' | 'shipped' | 'delivered';

/** Source-data anomalies a shipment is kept with, recorded as flags. */
export const ShipmentAnomaly = {
  CARRIER_PICKUP_BEFORE_PURCHASE: 'CARRIER_PICKUP_BEFORE_PURCHASE',
  DELIVERED_BEFORE_PICKUP: 'DELIVERED_BEFORE_PICKUP',
  DELIVERED_WITHOUT_DATE: 'DELIVERED_WITHOUT_DATE',
} as const;
export type ShipmentAnomaly = (typeof ShipmentAnomaly)[keyof typeof ShipmentAnomaly];

export interface ShipmentInput {
  readonly orderId: string;
  /** order_status of the source, lower case ('delivered', 'shipped', …). */
  readonly orderStatus: string;
  readonly purchasedAt: Date | null;
  readonly carrierPickupAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly estimatedDeliveryAt: Date | null;
}

const MS_PER_DAY = 86_400_000;

/**
 * The shipment of one order: pending until the carrier picks it up, shipped, then delivered.
 * The SLA is decided in calendar days: delayDays = delivered day − estimated day, late when
 * positive. Contradictory source dates are kept and flagged, never refused.
 */
export class Shipment {
  readonly orderId: string;
  readonly purchasedAt: Date | null;
  readonly carrierPickupAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly estimatedDeliveryAt: Date | null;
  readonly status: ShipmentStatus;
  readonly anomalies: readonly ShipmentAnomaly[];

  private constructor(input: ShipmentInput, status: ShipmentStatus, anomalies: ShipmentAnomaly[]) {
    this.orderId = input.orderId;
    this.purchasedAt = input.purchasedAt;
    this.carrierPickupAt = input.carrierPickupAt;
    this.deliveredAt = input.deliveredAt;
    this.estimatedDeliveryAt = input.estimatedDeliveryAt;
    this.status = status;
    this.anomalies = Object.freeze(anomalies);
    Object.freeze(this);
  }

  static record(input: ShipmentInput): Shipment {
    if (input.orderId.trim() === '') throw new RangeError('a shipment needs an order id');
    const orderStatus = input.orderStatus.trim().toLowerCase();
    const anomalies: ShipmentAnomaly[] = [];
    const { purchasedAt, carrierPickupAt, deliveredAt } = input;
    if (purchasedAt && carrierPickupAt && carrierPickupAt.getTime() < purchasedAt.getTime()) anomalies.push(ShipmentAnomaly.CARRIER_PICKUP_BEFORE_PURCHASE);
    if (carrierPickupAt && deliveredAt && deliveredAt.getTime() < carrierPickupAt.getTime()) anomalies.push(ShipmentAnomaly.DELIVERED_BEFORE_PICKUP);
    if (orderStatus === 'delivered' && !deliveredAt) anomalies.push(ShipmentAnomaly.DELIVERED_WITHOUT_DATE);
    const status: ShipmentStatus =
      deliveredAt || orderStatus === 'delivered' ? 'delivered' : carrierPickupAt || orderStatus === 'shipped' ? 'shipped' : 'pending';
    return new Shipment(input, status, anomalies);
  }

  /** Calendar days delivered minus estimated; null unless both dates are known. */
  get delayDays(): number | null {
    return this.deliveredAt && this.estimatedDeliveryAt ? calendarDaysBetween(this.estimatedDeliveryAt, this.deliveredAt) : null;
  }

  /** True when delivered on a calendar day after the estimated one; null unless both dates are known. */
  get late(): boolean | null {
    const delay = this.delayDays;
    return delay === null ? null : delay > 0;
  }

  /** Days from purchase to delivery, to two decimals; null unless both dates are known. */
  get deliveryDays(): number | null {
    if (!this.deliveredAt || !this.purchasedAt) return null;
    return Math.round(((this.deliveredAt.getTime() - this.purchasedAt.getTime()) / MS_PER_DAY) * 100) / 100;
  }
}
