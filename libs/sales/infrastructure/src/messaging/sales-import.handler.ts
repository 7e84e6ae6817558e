import { type InboundMessage, type NewEvent, type Outbox, type SqlTx, withContentId } from '@olist/messaging';
import type { ImportOrderItemsV1, ImportOrderPaymentsV1, ImportOrdersV1 } from '@olist/quality-contracts';
import { SALES_CONTRACTS } from '@olist/sales-contracts';
import { Order, type OrderEvent, type OrderHeader, type OrderItem, type OrderPayment } from '@olist/sales-domain';
import type { DomainError } from '@olist/shared-kernel';
import { OrderStore, type WaitingLines } from '../persistence/order.store';
import { type ImportRejection, type RowSource, SALES_IMPORT_SUBJECTS, type SalesImportCommand, translateImportBatch } from './olist-import.acl';

/** What applying a set of raw-feed rows did. */
export interface SalesImportOutcome {
  readonly ordersWritten: number;
  /** Items and payments stored for orders that have not arrived yet. */
  readonly itemsHeld: number;
  readonly paymentsHeld: number;
  readonly rejected: number;
  readonly events: number;
}

const CONTRACT_OF = new Map<string, (typeof SALES_CONTRACTS)[number]>(SALES_CONTRACTS.map((c) => [c.type, c]));

function toNewEvent(orderId: string, event: OrderEvent): NewEvent {
  const contract = CONTRACT_OF.get(event.type);
  if (!contract) throw new Error(`no sales contract for ${event.type}`);
  return withContentId({
    type: event.type,
    version: contract.version,
    subject: contract.subject,
    aggregateId: orderId,
    occurredAt: event.occurredAt,
    payload: event.payload,
  });
}

const ms = (d: Date | null) => d?.getTime() ?? null;

/** Everything stored about an order, to tell whether a revision changed anything. */
function fingerprint(order: Order | undefined): string {
  if (!order) return '';
  const h = order.header;
  return JSON.stringify([
    [h.customerId, h.status, ms(h.purchasedAt), ms(h.approvedAt), ms(h.deliveredCarrierAt), ms(h.deliveredCustomerAt), ms(h.estimatedDeliveryAt)],
    order.items.map((i) => [i.itemSeq, i.productId, i.sellerId, i.price.centavos, i.freight.centavos, ms(i.shippingLimitAt)]),
    order.payments.map((p) => [p.sequential, p.type, p.installments, p.value.centavos]),
  ]);
}

interface Incoming {
  header?: { header: OrderHeader; source: RowSource };
  items: Map<number, { item: OrderItem; source: RowSource }>;
  payments: Map<number, { payment: OrderPayment; source: RowSource }>;
}

/**
 * Applies raw-feed rows of orders, items and payments to the sales model in the caller's
 * transaction. Rows may arrive in any order: an order is decided as soon as its orders row is
 * present; items and payments of an order not seen yet are stored as they come and wait for it
 * (they count once it arrives and is placed with them); later rows update it (latest value wins).
 * The events of what changed go to the outbox with ids derived from their content, so the same
 * rows applied again change and emit nothing.
 */
export class SalesImportHandler {
  private readonly store = new OrderStore();

  constructor(private readonly outbox: Outbox) {}

  /** The handler of the sales-import durable consumers. */
  async handle(messages: readonly InboundMessage[], tx: SqlTx): Promise<SalesImportOutcome> {
    const commands: SalesImportCommand[] = [];
    const rejections: ImportRejection[] = [];
    for (const message of messages) {
      if (!(SALES_IMPORT_SUBJECTS as readonly string[]).includes(message.subject)) continue;
      const batch = message.envelope<ImportOrdersV1 | ImportOrderItemsV1 | ImportOrderPaymentsV1>().payload;
      const translated = translateImportBatch(message.subject, batch);
      commands.push(...translated.commands);
      rejections.push(...translated.rejections);
    }
    return this.apply(commands, rejections, tx);
  }

  async apply(commands: readonly SalesImportCommand[], rejections: readonly ImportRejection[], tx: SqlTx): Promise<SalesImportOutcome> {
    // One writer at a time across the three consumers and every instance: an item and its order
    // applied concurrently could otherwise each miss the other: the order placed without the item,
    // the item left waiting for good.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('sales.import'))`);
    const incoming = new Map<string, Incoming>();
    const entry = (id: string) => incoming.get(id) ?? (incoming.set(id, { items: new Map(), payments: new Map() }).get(id) as Incoming);
    for (const c of commands) {
      const e = entry(c.orderId);
      if (c.kind === 'record-order') e.header = { header: c.header, source: c.source };
      else if (c.kind === 'record-item') e.items.set(c.item.itemSeq, { item: c.item, source: c.source });
      else e.payments.set(c.payment.sequential, { payment: c.payment, source: c.source });
    }
    const ids = [...incoming.keys()];
    const { orders: stored, waiting } = await this.store.load(tx, ids);

    const refused: ImportRejection[] = [...rejections];
    const changed: Order[] = [];
    const before = new Map<string, Order | WaitingLines>(stored);
    const held: { items: { orderId: string; item: OrderItem }[]; payments: { orderId: string; payment: OrderPayment }[] } = { items: [], payments: [] };
    const events: NewEvent[] = [];

    for (const [orderId, inc] of incoming) {
      const previous = stored.get(orderId);
      const items = [...inc.items.values()].map((i) => i.item);
      const payments = [...inc.payments.values()].map((p) => p.payment);
      const refuse = (error: DomainError) => {
        const sources = [inc.header?.source, ...[...inc.items.values()].map((i) => i.source), ...[...inc.payments.values()].map((p) => p.source)];
        for (const source of sources) if (source) refused.push({ source, orderId, code: error.code, message: `${source.file} line ${source.line}: ${error.message}` });
      };
      if (!previous && !inc.header) {
        held.items.push(...items.map((item) => ({ orderId, item })));
        held.payments.push(...payments.map((payment) => ({ orderId, payment })));
        continue;
      }
      let next;
      if (previous) {
        next = previous.revise({ header: inc.header?.header, items, payments });
      } else {
        const lines = waiting.get(orderId);
        if (lines) before.set(orderId, lines);
        const placed = Order.place((inc.header as { header: OrderHeader }).header);
        next = placed.ok ? placed.value.revise({ items: lines?.items, payments: lines?.payments }) : placed;
        next = next.ok ? next.value.revise({ items, payments }) : next;
      }
      if (!next.ok) {
        refuse(next.error);
        continue;
      }
      if (fingerprint(next.value) === fingerprint(previous)) continue;
      changed.push(next.value);
      events.push(...next.value.eventsSince(previous ?? null).map((e) => toNewEvent(orderId, e)));
    }

    await this.store.save(tx, changed, before);
    await this.store.saveLines(tx, held.items, held.payments);
    await this.recordRejections(tx, refused);
    await this.outbox.append(tx, events);
    return { ordersWritten: changed.length, itemsHeld: held.items.length, paymentsHeld: held.payments.length, rejected: refused.length, events: events.length };
  }

  private async recordRejections(tx: SqlTx, rejections: readonly ImportRejection[]): Promise<void> {
    if (rejections.length === 0) return;
    const records = rejections.map((r) => ({ load_id: r.source.loadId, file: r.source.file, line: r.source.line, order_id: r.orderId, code: r.code, message: r.message }));
    await tx.query(
      `INSERT INTO sales.import_rejections (load_id, file, line, order_id, code, message)
       SELECT * FROM json_to_recordset($1::json) AS r(load_id text, file text, line int, order_id text, code text, message text)
       ON CONFLICT (load_id, file, line, code) DO NOTHING`,
      [JSON.stringify(records)],
    );
  }
}
