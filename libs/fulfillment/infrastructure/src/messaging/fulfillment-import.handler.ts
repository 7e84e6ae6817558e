import {
  BRAZILIAN_STATES_V1,
  type BrazilianStateV1,
  type DeliveryCompletedV1,
  type DeliveryDelayedV1,
  FULFILLMENT_CONTRACTS,
  SHIPMENT_DISTANCE_CHANGED_V1,
  type ShipmentDispatchedV1,
  type ShipmentDistanceChangedV1,
} from '@olist/fulfillment-contracts';
import { type InboundMessage, type NewEvent, type Outbox, type SqlTx, withContentId } from '@olist/messaging';
import type { PiiCipher } from '@olist/pii';
import type { ImportCustomersV1, ImportGeolocationV1, ImportOrderItemsV1, ImportOrdersV1, ImportSellersV1 } from '@olist/quality-contracts';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { type DistanceAnnouncement, type EventColumn, type SettledShipment, type StoredShipment, ShipmentStore } from '../persistence/shipment.store';
import { type CustomerZip, FULFILLMENT_IMPORT_SUBJECTS, type OrderSeller, type SellerZip, type ShipmentRow, type TranslatedBatch, translateImportBatch } from './olist-import.acl';

/** What applying a set of raw-feed rows did. */
export interface FulfillmentImportOutcome {
  readonly shipmentsWritten: number;
  readonly contextsRefreshed: number;
  /** Distinct inside-Brazil geolocation points of the batches, logged. */
  readonly points: number;
  /** Geolocation rows repeating a point of their batch. */
  readonly duplicatePoints: number;
  readonly outsidePoints: number;
  /** Zip prefixes whose centroid changed when this transaction worked out the centroids due. */
  readonly centroidsChanged: number;
  readonly refused: number;
  readonly events: number;
}

/** How `apply` treats the distances that depend on a changed zip-prefix centroid. */
export interface FulfillmentApplyOptions {
  /**
   * Settle, in this transaction, what the batches (and earlier ones) left due: the context and
   * events of every listed shipment, then the distances of the shipments in the zip prefixes
   * recorded stale. Default true; the consumers pass it only once they have reached the end of
   * their stream.
   */
  readonly settle?: boolean;
  /**
   * With `settle`: also refresh the distances of the shipments in the zip prefixes recorded stale.
   * Default: as `settle`; the consumers pass it once the geolocation feed has been drained (until
   * then more centroids are coming, and the listed shipments get the ones known when they settle).
   */
  readonly refreshStale?: boolean;
}

/** Shipments settled per round: bounds what one round holds in memory. */
const SETTLE_CHUNK = 5_000;

const CONTRACT_OF = new Map<string, (typeof FULFILLMENT_CONTRACTS)[number]>(FULFILLMENT_CONTRACTS.map((c) => [c.type, c]));

function newEvent(
  type: string,
  orderId: string,
  occurredAt: string,
  payload: ShipmentDispatchedV1 | DeliveryCompletedV1 | DeliveryDelayedV1,
): NewEvent & { id: string } {
  const contract = CONTRACT_OF.get(type);
  if (!contract) throw new Error(`no fulfillment contract for ${type}`);
  // The id covers the event's facts, not distanceKm: the distance is what was known when the event
  // was written (a centroid may arrive or be refined later), and must not make the same fact a new event.
  const { distanceKm: _distance, ...facts } = payload as Partial<ShipmentDispatchedV1 | DeliveryCompletedV1>;
  return withContentId({ type, version: contract.version, subject: contract.subject, aggregateId: orderId, occurredAt, payload }, facts);
}

/** ISO 8601 without milliseconds, as the source has none. */
const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, 'Z');

/**
 * The shipment-distance-changed event of an announcement. Its id covers the revision as well as the
 * distance: a distance that changes back to an earlier value is a new event, not a copy of the old one.
 */
export function distanceChangedEvent(a: DistanceAnnouncement): NewEvent & { id: string } {
  const payload: ShipmentDistanceChangedV1 = { orderId: a.order_id, distanceKm: a.distance_km };
  const { type, version, subject } = SHIPMENT_DISTANCE_CHANGED_V1;
  return withContentId({ type, version, subject, aggregateId: a.order_id, occurredAt: iso(a.occurred_at), payload }, { ...payload, revision: a.distance_revision });
}

/** The events whose payload carries the shipment's distance. */
const CARRIES_DISTANCE: readonly EventColumn[] = ['dispatched_event_id', 'completed_event_id'];

const isState = (value: string | null): value is BrazilianStateV1 => value !== null && (BRAZILIAN_STATES_V1 as readonly string[]).includes(value);

/**
 * The events a stored shipment calls for, each once its contract's data is known:
 * shipment-dispatched with a carrier pickup, an estimated date and at least one seller;
 * delivery-completed with delivery, estimated and purchase dates and the customer's state;
 * delivery-delayed when delivered late and the customer's state is known.
 */
export function shipmentEvents(s: StoredShipment): { column: EventColumn; event: NewEvent & { id: string } }[] {
  const out: { column: EventColumn; event: NewEvent & { id: string } }[] = [];
  const distanceKm = s.distance_km;
  if (s.carrier_pickup_at && s.estimated_delivery_at && s.seller_ids.length > 0) {
    const payload: ShipmentDispatchedV1 = {
      orderId: s.order_id,
      sellerIds: s.seller_ids,
      carrierPickupAt: iso(s.carrier_pickup_at),
      estimatedDeliveryAt: iso(s.estimated_delivery_at),
      distanceKm,
      anomalies: s.anomalies,
    };
    out.push({ column: 'dispatched_event_id', event: newEvent('fulfillment.shipment-dispatched', s.order_id, payload.carrierPickupAt, payload) });
  }
  const state = s.customer_state;
  if (s.delivered_at && s.estimated_delivery_at && s.purchased_at && s.delay_days !== null && s.late !== null && s.delivery_days !== null && isState(state)) {
    const payload: DeliveryCompletedV1 = {
      orderId: s.order_id,
      customerState: state,
      deliveredAt: iso(s.delivered_at),
      estimatedDeliveryAt: iso(s.estimated_delivery_at),
      delayDays: s.delay_days,
      late: s.late,
      deliveryDays: Number(s.delivery_days),
      distanceKm,
    };
    out.push({ column: 'completed_event_id', event: newEvent('fulfillment.delivery-completed', s.order_id, payload.deliveredAt, payload) });
  }
  if (s.late && s.delivered_at && s.estimated_delivery_at && s.delay_days !== null && isState(state)) {
    const payload: DeliveryDelayedV1 = {
      orderId: s.order_id,
      customerState: state,
      estimatedDeliveryAt: iso(s.estimated_delivery_at),
      deliveredAt: iso(s.delivered_at),
      delayDays: s.delay_days,
    };
    out.push({ column: 'delayed_event_id', event: newEvent('fulfillment.delivery-delayed', s.order_id, payload.deliveredAt as string, payload) });
  }
  return out;
}

/** Transaction advisory locks of the import, always taken in this order: geolocation, then import. */
const GEOLOCATION_LOCK = 'fulfillment.import.geolocation';
const IMPORT_LOCK = 'fulfillment.import';
const lock = (tx: SqlTx, name: string) => tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [name]);

/** Latest row per key wins within what arrives together. */
function latest<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...new Map(rows.map((r) => [key(r), r])).values()];
}

/**
 * Applies raw-feed rows of orders, customers, sellers, order items and geolocation to the
 * fulfillment model in the caller's transaction. Rows may arrive in any order. The shipments
 * whose order, customer or sellers arrived are listed as unsettled, and a geolocation batch only
 * logs its points and lists their zip prefixes as due. Once a consumer has reached the end of its
 * stream (a message delivered with nothing pending after it) the transaction settles: the due
 * centroids are worked out (those that changed make their prefix stale), the listed shipments get
 * their customer state and distance, with the centroids known then, and their due events; then
 * the shipments with a customer or seller in a stale prefix get their distance. A shipment touched by several files while the consumers are
 * behind is so worked out once. A centroid never decides which events are due, only the distance
 * they carry. An event goes to the outbox when its data is complete, with the distance known then
 * (null while a centroid is missing), and again only when its facts change: its id is derived
 * from its content except the distance, and the last id written is kept per shipment, so the same
 * rows applied again, in any order, emit nothing new. A shipment whose distance changes after a
 * shipment-dispatched or delivery-completed of it was published, with no event now carrying the new
 * one, gets a shipment-distance-changed: what the stream last conveyed of every shipment's distance
 * is the shipment's, whatever order the files arrived in.
 */
export class FulfillmentImportHandler {
  private readonly store: ShipmentStore;

  /** `feed` (OLIST_FEED_KEYS) unseals customers' zip prefixes and seals them for storage. */
  constructor(
    private readonly outbox: Outbox,
    private readonly feed: PiiCipher,
  ) {
    this.store = new ShipmentStore(feed);
  }

  /**
   * The handler of the fulfillment-import durable consumers. The listed shipments are settled when
   * one of the messages was delivered with nothing pending after it in its consumer's stream; the
   * stale zip prefixes are refreshed when that message is a geolocation batch (the geolocation
   * feed drained: no more centroid changes coming).
   */
  async handle(messages: readonly InboundMessage[], tx: SqlTx): Promise<FulfillmentImportOutcome> {
    const batches: TranslatedBatch[] = [];
    for (const message of messages) {
      if (!(FULFILLMENT_IMPORT_SUBJECTS as readonly string[]).includes(message.subject)) continue;
      const payload = message.envelope<ImportOrdersV1 | ImportCustomersV1 | ImportSellersV1 | ImportOrderItemsV1 | ImportGeolocationV1>().payload;
      batches.push(translateImportBatch(message.subject, payload, this.feed));
    }
    const drained = messages.filter((m) => m.pending === 0);
    return this.apply(batches, tx, { settle: drained.length > 0, refreshStale: drained.some((m) => m.subject === IMPORT_SUBJECTS.geolocation) });
  }

  async apply(batches: readonly TranslatedBatch[], tx: SqlTx, options: FulfillmentApplyOptions = {}): Promise<FulfillmentImportOutcome> {
    // Geolocation batches only log points and list their prefixes as due, under a lock of their
    // own: they go on while orders, customers and sellers are applied. Everything that works out
    // centroids or reads them into shipments (settling, refreshing the stale prefixes) holds the
    // import lock, one writer at a time across consumers and instances (an order and its customer
    // applied concurrently could otherwise each miss the other); points logged after a centroid was
    // worked out list their prefix as due again, and a centroid that changes after a shipment read
    // it leaves its prefix stale, so the refresh that clears the prefix — under the import lock,
    // after that shipment committed — corrects it.
    // Locks are taken in this order (geolocation, then import), so two transactions never wait on each other both ways.
    const withGeolocation = batches.some((b) => b.geolocation !== null);
    const geolocationOnly =
      withGeolocation && batches.every((b) => b.shipments.length + b.customers.length + b.sellers.length + b.orderSellers.length === 0);
    if (withGeolocation) await lock(tx, GEOLOCATION_LOCK);
    if (!geolocationOnly) await lock(tx, IMPORT_LOCK);
    const shipments = latest<ShipmentRow>(batches.flatMap((b) => b.shipments), (r) => r.shipment.orderId);
    const customers = latest<CustomerZip>(batches.flatMap((b) => b.customers), (r) => r.customerId);
    const sellers = latest<SellerZip>(batches.flatMap((b) => b.sellers), (r) => r.sellerId);
    const links = new Map<string, OrderSeller>();
    for (const link of batches.flatMap((b) => b.orderSellers)) {
      const key = `${link.orderId}|${link.sellerId}`;
      const known = links.get(key);
      if (!known || link.itemSeq < known.itemSeq) links.set(key, link);
    }

    if (!geolocationOnly) await this.store.sealClearCustomerZips(tx);
    const shipmentsWritten = await this.store.saveShipments(tx, shipments);
    await this.store.saveCustomers(tx, customers);
    await this.store.saveSellers(tx, sellers);
    await this.store.saveOrderSellers(tx, [...links.values()]);
    let points = 0;
    let duplicatePoints = 0;
    let outsidePoints = 0;
    const geos = batches.flatMap((b) => (b.geolocation ? [b.geolocation] : []));
    for (const outcome of await this.store.addGeolocation(tx, geos)) {
      points += outcome.points;
      duplicatePoints += outcome.duplicates;
      outsidePoints += outcome.outside;
    }

    // The shipments of the orders, customers and sellers that arrived are listed; settling works
    // out their context and events, once per shipment however many files touched it meanwhile.
    await this.store.markUnsettled(
      tx,
      [...new Set([...shipments.map((s) => s.shipment.orderId), ...[...links.values()].map((l) => l.orderId)])],
      customers.map((c) => c.customerId),
      sellers.map((s) => s.sellerId),
    );
    let contextsRefreshed = 0;
    let centroidsChanged = 0;
    let events = 0;
    if (options.settle ?? true) {
      if (geolocationOnly) {
        await lock(tx, IMPORT_LOCK);
        await this.store.sealClearCustomerZips(tx);
      }
      // The centroids of the prefixes that received points are worked out before shipments read them.
      centroidsChanged = await this.store.refreshCentroids(tx);
      const settled: string[] = [];
      for (let chunk = await this.store.takeUnsettled(tx, SETTLE_CHUNK); chunk.length > 0; chunk = await this.store.takeUnsettled(tx, SETTLE_CHUNK, chunk.at(-1))) {
        const outcome = await this.settle(tx, chunk);
        contextsRefreshed += outcome.contextsRefreshed;
        events += outcome.events;
        settled.push(...chunk);
      }
      // The shipments of the prefixes whose centroid changed: only their distance can differ, which
      // decides no event due; those published with another distance get a shipment-distance-changed.
      if (options.refreshStale ?? true) {
        const refreshed = await this.store.refreshStalePrefixes(tx, settled);
        contextsRefreshed += refreshed.length;
        const announced = (await this.store.announceDistances(tx, refreshed)).map(distanceChangedEvent);
        await this.outbox.append(tx, announced);
        events += announced.length;
      }
    }
    await this.store.recordRefusals(tx, batches.flatMap((b) => b.refused));
    return {
      shipmentsWritten,
      contextsRefreshed,
      points,
      duplicatePoints,
      outsidePoints,
      centroidsChanged,
      refused: batches.reduce((n, b) => n + b.refused.length, 0),
      events,
    };
  }

  /**
   * Announces, `limit` at a time after `after`, the distance of the shipments whose published
   * events never conveyed it: those published before announcements were recorded. At rest there
   * are none (every settling and refresh announces what it changes), so this finds nothing on a
   * platform that never ran without them. Safe beside the consumers: a chunk found takes the
   * import lock their settling takes before it is announced, so it waits for them (and they for it)
   * instead of locking shipments in another order, and one announced meanwhile no longer qualifies.
   * Returns how many were announced and the last order id looked at (null when none was left).
   */
  async announceUnannounced(tx: SqlTx, limit = SETTLE_CHUNK, after = ''): Promise<{ announced: number; last: string | null }> {
    const candidates = await this.store.unannouncedDistances(tx, limit, after);
    if (candidates.length === 0) return { announced: 0, last: null };
    await lock(tx, IMPORT_LOCK);
    const events = (await this.store.announceDistances(tx, candidates)).map(distanceChangedEvent);
    await this.outbox.append(tx, events);
    return { announced: events.length, last: candidates.at(-1) ?? null };
  }

  /**
   * Settles these shipments: their context (customer state, distance) worked out with the centroids
   * known now, the events now due written (those whose last written id differs), and both recorded
   * on the shipment in one update.
   */
  private async settle(tx: SqlTx, orderIds: readonly string[]): Promise<{ contextsRefreshed: number; events: number }> {
    const events: NewEvent[] = [];
    const settled: SettledShipment[] = [];
    // Shipments whose context changed with no event carrying the new distance written now.
    const unannounced: string[] = [];
    let contextsRefreshed = 0;
    for (const { context, ...stored } of await this.store.loadForSettling(tx, orderIds)) {
      const contextChanged = stored.customer_state !== context.state || stored.distance_km !== context.distance;
      const shipment: StoredShipment = contextChanged ? { ...stored, customer_state: context.state, distance_km: context.distance } : stored;
      const marks: SettledShipment = contextChanged ? { orderId: shipment.order_id, context } : { orderId: shipment.order_id };
      let due = false;
      for (const { column, event } of shipmentEvents(shipment)) {
        if (shipment[column] === event.id) continue;
        events.push(event);
        marks[column] = event.id;
        // A null distance on these events means "not known when written": it conveys no distance,
        // so a shipment whose known distance went away still needs a shipment-distance-changed.
        if (CARRIES_DISTANCE.includes(column) && shipment.distance_km !== null) marks.announced = { distance: shipment.distance_km };
        due = true;
      }
      if (contextChanged) contextsRefreshed += 1;
      if (contextChanged && !marks.announced) unannounced.push(shipment.order_id);
      if (contextChanged || due) settled.push(marks);
    }
    await this.store.saveSettled(tx, settled);
    events.push(...(await this.store.announceDistances(tx, unannounced)).map(distanceChangedEvent));
    await this.outbox.append(tx, events);
    return { contextsRefreshed, events: events.length };
  }


}
