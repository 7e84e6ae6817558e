import { Catalog, Product, ProductPicker } from './catalog';
import { CsvFileWriter } from './csv-file-writer';
import { DatasetSize, QUIRK_RATES, rareCount, shareOf } from './dataset-size';
import { Geography, ZipArea } from './geography';
import { formatCents } from './money';
import { Region, StateProfile } from './reference/brazil';
import { DATA_CUTOFF, DAY, formatTimestamp, HOUR, monthKey, PurchaseCalendar, startOfDay } from './reference/calendar';
import { COMMENT_PHRASES, QUOTED_PHRASES, sentimentOf, TITLES } from './reference/review-texts';
import { Random, WeightedChoice } from './random';

/** Orders are generated, written and forgotten this many at a time. */
export const ORDER_CHUNK = 4_000;

export interface OrderWriters {
  readonly orders: CsvFileWriter;
  readonly customers: CsvFileWriter;
  readonly items: CsvFileWriter;
  readonly payments: CsvFileWriter;
  readonly reviews: CsvFileWriter;
}

export interface OrderCounts {
  ordersWithoutItems: number;
  deliveredWithoutApproval: number;
  carrierBeforePurchase: number;
  deliveredBeforeCarrier: number;
  deliveredWithoutDeliveryDate: number;
  ordersWithoutPayment: number;
  ordersWithSeveralReviews: number;
  reviewIdsReused: number;
  multiLineComments: number;
  itemsWithZeroFreight: number;
  paymentTypeNotDefined: number;
  zeroInstallments: number;
  paymentMismatches: number;
  customerUniqueIdsWithSeveralIds: number;
  customersOutsideGeolocation: number;
  lateDeliveries: number;
}

type Status = 'delivered' | 'shipped' | 'canceled' | 'unavailable' | 'invoiced' | 'processing' | 'created' | 'approved';
type TimelineQuirk = 'deliveredWithoutApproval' | 'carrierBeforePurchase' | 'deliveredBeforeCarrier' | 'deliveredWithoutDeliveryDate';
type PaymentQuirk = 'notDefined' | 'zeroInstallments';
type PaymentType = 'credit_card' | 'boleto' | 'voucher' | 'debit_card' | 'not_defined';

const TIMELINE_QUIRKS: readonly TimelineQuirk[] = [
  'deliveredWithoutApproval',
  'carrierBeforePurchase',
  'deliveredBeforeCarrier',
  'deliveredWithoutDeliveryDate',
];

const STATUS_WITH_ITEMS = new WeightedChoice<Status>([
  ['delivered', 97.78],
  ['shipped', 1.12],
  ['canceled', 0.467],
  ['invoiced', 0.316],
  ['processing', 0.305],
  ['unavailable', 0.006],
  ['approved', 0.002],
]);
const STATUS_WITHOUT_ITEMS = new WeightedChoice<Status>([
  ['unavailable', 77.8],
  ['canceled', 21.2],
  ['created', 0.65],
  ['invoiced', 0.26],
]);
const EXTRA_ITEMS = new WeightedChoice<number>([
  [1, 77], [2, 14.3], [3, 4.5], [4, 2.0], [5, 1.8], [6, 0.2], [10, 0.1], [11, 0.1], [20, 0.05],
]);
const EXTRA_PAYMENTS = new WeightedChoice<number>([
  [1, 79], [2, 10.6], [3, 3.5], [4, 2.1], [5, 1], [6, 0.8], [7, 0.4], [8, 0.6], [10, 1], [11, 0.2], [13, 0.2], [18, 0.1], [25, 0.05],
]);
const SINGLE_PAYMENT = new WeightedChoice<PaymentType>([
  ['credit_card', 77.0],
  ['boleto', 20.6],
  ['voucher', 0.9],
  ['debit_card', 1.5],
]);
const INSTALLMENTS = new WeightedChoice<number>([
  [1, 33], [2, 16], [3, 13.5], [4, 9.5], [5, 7], [6, 5], [7, 2.1], [8, 5.5], [9, 0.9], [10, 7], [12, 0.2], [15, 0.1], [18, 0.05], [24, 0.03],
]);
// Review scores (1–5) by how the delivery went.
const SCORES = {
  onTime: new WeightedChoice<number>([[1, 6.0], [2, 2.7], [3, 8.3], [4, 20.5], [5, 62.5]]),
  late: new WeightedChoice<number>([[1, 53.3], [2, 8.7], [3, 11.9], [4, 9.9], [5, 16.2]]),
  undelivered: new WeightedChoice<number>([[1, 70], [2, 7.7], [3, 8.7], [4, 5.4], [5, 8.2]]),
};
const COMMENT_CHANCE = [0, 0.75, 0.65, 0.45, 0.3, 0.35];
const MULTI_LINE_CHANCE = QUIRK_RATES.multiLineComments / 0.41;
// How the share of late deliveries moved over time (the 2017 Black Friday backlog, the truckers' strike of 2018…).
const LATE_FACTOR: Readonly<Record<string, number>> = {
  '2017-11': 1.8, '2017-12': 1.1, '2018-01': 0.9, '2018-02': 1.9, '2018-03': 2.4, '2018-04': 0.7,
  '2018-05': 0.95, '2018-06': 0.15, '2018-07': 0.6, '2018-08': 1.25,
};
const LATE_FACTOR_DEFAULT = 0.55;
const LATE_CALIBRATION = 0.92;
const NEAR_REGIONS: Readonly<Record<Region, readonly Region[]>> = { SE: ['S', 'CO'], S: ['SE'], CO: ['SE', 'N'], NE: ['N'], N: ['NE', 'CO'] };
const RING = 4_096;
const LAST_PAIR_PURCHASE = Date.UTC(2018, 7, 20) / 1000;
const CANCELED_FROM = Date.UTC(2018, 8, 1) / 1000;

interface Person {
  readonly uniqueId: string;
  readonly zip: string;
  readonly area: ZipArea;
  reused: boolean;
}

interface Draft {
  status: Status;
  items: number;
  payments: number;
  reviews: number;
  /** 1: first of two orders placed together that share one review; 2: the second. */
  pair: 0 | 1 | 2;
  quirk: TimelineQuirk | null;
  paymentQuirk: PaymentQuirk | null;
}

interface Timeline {
  status: Status;
  purchase: number;
  approved: number | null;
  carrier: number | null;
  delivered: number | null;
  estimated: number;
}

interface Review {
  id: string;
  createdAt: number;
  score: string;
  title: string | null;
  message: string | null;
  created: string;
  answered: string;
}

interface Payment {
  type: PaymentType;
  installments: number;
  cents: number;
}

interface Plan {
  readonly noItems: number;
  readonly reviewPairs: number;
  readonly severalReviews: number;
  readonly unpaid: number;
  readonly notDefined: number;
  readonly zeroInstallments: number;
  readonly timeline: Readonly<Record<TimelineQuirk, number>>;
}

/**
 * Orders with their customers, items, payments and reviews, generated chunk by chunk so that
 * memory stays bounded at any scale. Each chunk receives its exact share of every total, so the
 * files have exactly the planned row counts.
 */
export class OrderGenerator {
  readonly counts: OrderCounts = {
    ordersWithoutItems: 0,
    deliveredWithoutApproval: 0,
    carrierBeforePurchase: 0,
    deliveredBeforeCarrier: 0,
    deliveredWithoutDeliveryDate: 0,
    ordersWithoutPayment: 0,
    ordersWithSeveralReviews: 0,
    reviewIdsReused: 0,
    multiLineComments: 0,
    itemsWithZeroFreight: 0,
    paymentTypeNotDefined: 0,
    zeroInstallments: 0,
    paymentMismatches: 0,
    customerUniqueIdsWithSeveralIds: 0,
    customersOutsideGeolocation: 0,
    lateDeliveries: 0,
  };
  private readonly calendar = new PurchaseCalendar();
  private readonly picker: ProductPicker;
  private readonly plan: Plan;
  private readonly people: Person[] = [];
  private peopleAt = 0;

  constructor(
    private readonly random: Random,
    private readonly size: DatasetSize,
    private readonly geography: Geography,
    private readonly catalog: Catalog,
  ) {
    this.picker = new ProductPicker(random, catalog, size.items);
    const n = size.orders;
    this.plan = {
      noItems: Math.round(QUIRK_RATES.ordersWithoutItems * n),
      reviewPairs: rareCount(QUIRK_RATES.reviewIdsReused, size.reviews),
      severalReviews: rareCount(QUIRK_RATES.ordersWithSeveralReviews, n),
      unpaid: Math.round(QUIRK_RATES.ordersWithoutPayment * n),
      notDefined: rareCount(QUIRK_RATES.paymentTypeNotDefined, size.payments),
      zeroInstallments: rareCount(QUIRK_RATES.zeroInstallments, size.payments),
      timeline: {
        deliveredWithoutApproval: rareCount(QUIRK_RATES.deliveredWithoutApproval, n),
        carrierBeforePurchase: rareCount(QUIRK_RATES.carrierBeforePurchase, n),
        deliveredBeforeCarrier: rareCount(QUIRK_RATES.deliveredBeforeCarrier, n),
        deliveredWithoutDeliveryDate: rareCount(QUIRK_RATES.deliveredWithoutDeliveryDate, n),
      },
    };
  }

  /** Writes every order; `onRows` hears how many rows (all five files together) each chunk wrote. */
  async write(writers: OrderWriters, onRows: (rows: number) => void): Promise<void> {
    const n = this.size.orders;
    for (let start = 0; start < n; start += ORDER_CHUNK) {
      const end = Math.min(n, start + ORDER_CHUNK);
      const before = rowsOf(writers);
      this.chunk(writers, start, end);
      await Promise.all(Object.values(writers).map((w: CsvFileWriter) => w.flush()));
      onRows(rowsOf(writers) - before);
    }
  }

  private chunk(writers: OrderWriters, start: number, end: number): void {
    const drafts = this.draftChunk(start, end);
    let first: { timeline: Timeline; person: Person; review: Review | null } | null = null;
    for (const draft of drafts) {
      const pairedWith = draft.pair === 2 ? first : null;
      const made = this.order(writers, draft, pairedWith);
      first = draft.pair === 1 ? made : null;
    }
  }

  /** Decides, for each order of the chunk, its status and how many items, payments and reviews it has. */
  private draftChunk(start: number, end: number): Draft[] {
    const r = this.random;
    const n = end - start;
    const share = (total: number) => shareOf(total, start, end, this.size.orders);
    const drafts: Draft[] = Array.from({ length: n }, () => ({
      status: 'delivered',
      items: 1,
      payments: 1,
      reviews: 1,
      pair: 0,
      quirk: null,
      paymentQuirk: null,
    }));
    for (const k of r.sample(Math.floor(n / 2), share(this.plan.reviewPairs))) {
      drafts[2 * k].pair = 1;
      drafts[2 * k + 1].pair = 2;
    }
    const single = (d: Draft) => d.pair === 0;
    const pick = (filter: (d: Draft) => boolean, count: number): Draft[] => {
      const candidates = drafts.filter(filter);
      return r.sample(candidates.length, count).map((i) => candidates[i]);
    };

    // Items: some orders have none, about one in ten has several.
    for (const d of pick(single, share(this.plan.noItems))) d.items = 0;
    let extraItems = share(this.size.items) - drafts.filter((d) => d.items > 0).length;
    if (extraItems < 0) for (const d of pick((d) => single(d) && d.items > 0, -extraItems)) d.items = 0;
    const withItems = drafts.filter((d) => d.items > 0);
    while (extraItems > 0 && withItems.length) {
      const extra = Math.min(extraItems, EXTRA_ITEMS.draw(r));
      let order = r.pick(withItems);
      for (let retry = 0; retry < 3 && order.items > 1; retry++) order = r.pick(withItems);
      order.items += extra;
      extraItems -= extra;
    }
    for (const d of drafts) {
      d.status = d.items === 0 ? STATUS_WITHOUT_ITEMS.draw(r) : d.pair ? 'delivered' : STATUS_WITH_ITEMS.draw(r);
    }

    // Payments: one each, several for some (vouchers), none for a very few.
    for (const d of pick(single, share(this.plan.unpaid))) d.payments = 0;
    let extraPayments = share(this.size.payments) - drafts.filter((d) => d.payments > 0).length;
    if (extraPayments < 0) for (const d of pick((d) => single(d) && d.payments > 0, -extraPayments)) d.payments = 0;
    const paid = drafts.filter((d) => d.payments > 0);
    while (extraPayments > 0 && paid.length) {
      const extra = Math.min(extraPayments, EXTRA_PAYMENTS.draw(r));
      let order = r.pick(paid);
      for (let retry = 0; retry < 3 && order.payments > 1; retry++) order = r.pick(paid);
      order.payments += extra;
      extraPayments -= extra;
    }
    for (const d of pick((d) => d.payments === 1, share(this.plan.notDefined))) d.paymentQuirk = 'notDefined';
    for (const d of pick((d) => d.payments === 1 && !d.paymentQuirk, share(this.plan.zeroInstallments))) d.paymentQuirk = 'zeroInstallments';

    // Reviews: one each, a few orders with several, some with none.
    for (const d of pick(single, share(this.plan.severalReviews))) d.reviews = r.chance(1 / 70) ? 3 : 2;
    let missing = drafts.reduce((s, d) => s + d.reviews, 0) - share(this.size.reviews);
    const singles = drafts.filter(single);
    while (missing < 0 && singles.length) {
      r.pick(singles).reviews++;
      missing++;
    }
    for (const d of pick((d) => single(d) && d.reviews === 1, missing)) d.reviews = 0;

    for (const quirk of TIMELINE_QUIRKS) {
      for (const d of pick((d) => single(d) && d.status === 'delivered' && d.items > 0 && !d.quirk, share(this.plan.timeline[quirk]))) {
        d.quirk = quirk;
      }
    }
    return drafts;
  }

  private order(
    writers: OrderWriters,
    draft: Draft,
    pairedWith: { timeline: Timeline; person: Person; review: Review | null } | null,
  ): { timeline: Timeline; person: Person; review: Review | null } {
    const r = this.random;
    const orderId = r.hexId();
    const customerId = r.hexId();
    const person = pairedWith ? this.reuse(pairedWith.person) : this.person();
    const state = person.area.state;

    let purchase: number;
    if (pairedWith) purchase = pairedWith.timeline.purchase - r.int(5, 900);
    else {
      purchase = this.calendar.draw(r);
      while (draft.pair === 1 && purchase >= LAST_PAIR_PURCHASE) purchase = this.calendar.draw(r);
      if (purchase >= CANCELED_FROM && !draft.pair) draft.status = 'canceled';
    }

    // Items, or for orders without items the basket the payment was for.
    const items: { product: Product; seller: number; price: number; freight: number }[] = [];
    let total = 0;
    if (draft.items > 0) {
      const c = draft.items;
      const products: number[] = [];
      if (c > 1 && r.chance(0.69) && this.picker.canRepeat(c)) {
        const p = this.picker.next(r, c);
        for (let i = 0; i < c; i++) products.push(p);
      } else {
        products.push(this.picker.next(r));
        for (let i = 1; i < c; i++) products.push(r.chance(0.85) ? this.picker.sameSeller(r, products[0]) : this.picker.next(r));
      }
      let previous = -1;
      let line: (typeof items)[number] | null = null;
      for (const p of products) {
        if (p !== previous || !line) {
          const product = this.catalog.products[p];
          const seller = r.chance(0.015) ? r.int(0, this.catalog.sellers.length - 1) : product.seller;
          const price = r.chance(0.08) ? Math.max(85, Math.round((product.priceCents * r.uniform(0.9, 1.1)) / 10) * 10) : product.priceCents;
          const zeroFreight = r.chance(QUIRK_RATES.itemsWithZeroFreight);
          line = { product, seller, price, freight: zeroFreight ? 0 : this.freight(product, this.catalog.sellers[seller].area.state, state) };
          previous = p;
        }
        items.push(line);
        total += line.price + line.freight;
      }
    } else {
      const product = this.catalog.products[this.picker.peek(r)];
      total = product.priceCents + this.freight(product, this.catalog.sellers[product.seller].area.state, state);
      this.counts.ordersWithoutItems++;
    }

    const payments = this.payments(draft, total);
    const timeline = pairedWith
      ? { ...pairedWith.timeline, purchase }
      : this.timeline(draft, purchase, state, payments[0]?.type ?? 'credit_card');

    writers.customers.write([customerId, person.uniqueId, person.zip, person.area.city.name, state.code]);
    writers.orders.write([
      orderId,
      customerId,
      timeline.status,
      formatTimestamp(timeline.purchase),
      stamp(timeline.approved),
      stamp(timeline.carrier),
      stamp(timeline.delivered),
      formatTimestamp(timeline.estimated),
    ]);

    if (items.length) {
      const base = timeline.approved ?? timeline.purchase;
      const limit = formatTimestamp(base + Math.round(clamp(r.logNormal(6, 0.3), 2, 30) * DAY));
      items.forEach((item, i) => {
        if (item.freight === 0) this.counts.itemsWithZeroFreight++;
        writers.items.write([
          orderId,
          String(i + 1),
          item.product.id,
          this.catalog.sellers[item.seller].id,
          limit,
          formatCents(item.price),
          formatCents(item.freight),
        ]);
      });
    }

    payments.forEach((p, i) => writers.payments.write([orderId, String(i + 1), p.type, String(p.installments), formatCents(p.cents)]));
    if (!payments.length) this.counts.ordersWithoutPayment++;

    let firstReview: Review | null = null;
    if (pairedWith?.review) {
      firstReview = pairedWith.review;
      this.counts.reviewIdsReused++;
      this.writeReview(writers, firstReview, orderId);
    } else {
      let created: number | null = null;
      for (let k = 0; k < draft.reviews; k++) {
        const review = this.review(timeline, created);
        created = review.createdAt;
        this.writeReview(writers, review, orderId);
        firstReview ??= review;
      }
      if (draft.reviews > 1) this.counts.ordersWithSeveralReviews++;
    }
    return { timeline, person, review: firstReview };
  }

  private writeReview(writers: OrderWriters, review: Review, orderId: string): void {
    writers.reviews.write([review.id, orderId, review.score, review.title, review.message, review.created, review.answered]);
  }

  private person(): Person {
    const r = this.random;
    if (this.people.length && r.chance(QUIRK_RATES.repeatCustomers)) return this.reuse(r.pick(this.people));
    const area = this.geography.customerZip(r);
    let zip = area.code;
    if (r.chance(0.003)) {
      zip = this.geography.unlistedCode(r, area);
      if (zip !== area.code) this.counts.customersOutsideGeolocation++;
    }
    const person: Person = { uniqueId: r.hexId(), zip, area, reused: false };
    if (this.people.length < RING) this.people.push(person);
    else this.people[this.peopleAt++ % RING] = person;
    return person;
  }

  private reuse(person: Person): Person {
    if (!person.reused) {
      person.reused = true;
      this.counts.customerUniqueIdsWithSeveralIds++;
    }
    return person;
  }

  private timeline(draft: Draft, purchase: number, state: StateProfile, firstPayment: PaymentType): Timeline {
    const r = this.random;
    const estimated = startOfDay(purchase) + clamp(Math.round(r.logNormal(state.estimatedDays, 0.3)), 2, 150) * DAY;
    const t: Timeline = { status: draft.status, purchase, approved: null, carrier: null, delivered: null, estimated };
    const approve = () => {
      if (firstPayment === 'boleto') return purchase + Math.round(clamp(r.logNormal(1.1, 0.6), 0.05, 15) * DAY);
      if (r.chance(0.75)) return purchase + Math.round(clamp(r.logNormal(900, 0.8), 30, 3 * HOUR));
      return purchase + Math.round(clamp(r.logNormal(9, 0.9), 1, 144) * HOUR);
    };
    const carrier = (from: number) => {
      const at = from + Math.round(clamp(r.logNormal(1.8, 0.9), 0.03, 60) * DAY);
      return r.chance(0.3) ? at - (at % 60) : at;
    };
    switch (draft.status) {
      case 'created':
        break;
      case 'canceled':
        t.approved = r.chance(0.22) ? null : approve();
        if (t.approved !== null && r.chance(0.11)) t.carrier = carrier(t.approved);
        break;
      case 'shipped':
        t.approved = approve();
        t.carrier = carrier(t.approved);
        break;
      case 'delivered': {
        t.approved = approve();
        t.carrier = carrier(t.approved);
        const lateChance = state.lateRate * LATE_CALIBRATION * (LATE_FACTOR[monthKey(purchase)] ?? LATE_FACTOR_DEFAULT);
        if (r.chance(Math.min(0.9, lateChance))) {
          t.delivered = Math.max(estimated + Math.round(clamp(r.logNormal(4.5, 1), 0.05, 180) * DAY), t.carrier + DAY / 2);
        } else {
          const transit = Math.max(1, state.deliveryDays - 2.8);
          let delivered = t.carrier + Math.round(r.logNormal(transit, 0.6) * DAY);
          for (let attempt = 0; attempt < 3 && delivered > estimated; attempt++) {
            delivered = t.carrier + Math.round(r.logNormal(transit, 0.6) * DAY);
          }
          if (delivered > estimated && estimated - t.carrier > 0.3 * DAY) {
            delivered = t.carrier + Math.round(r.uniform(0.2 * DAY, estimated - t.carrier));
          }
          t.delivered = delivered;
        }
        break;
      }
      default:
        t.approved = approve();
    }
    if (t.delivered !== null && t.delivered > DATA_CUTOFF) {
      t.delivered = null;
      t.status = 'shipped';
    }
    if (t.carrier !== null && t.carrier > DATA_CUTOFF) {
      t.carrier = null;
      t.status = 'invoiced';
    }
    if (draft.quirk && t.status === 'delivered' && t.delivered !== null && t.carrier !== null) {
      switch (draft.quirk) {
        case 'deliveredWithoutApproval':
          t.approved = null;
          break;
        case 'carrierBeforePurchase':
          t.carrier = purchase - Math.round(r.uniform(0.05, 4) * DAY);
          break;
        case 'deliveredBeforeCarrier':
          t.carrier = t.delivered + Math.round(r.uniform(1 / 24, 3) * DAY);
          break;
        case 'deliveredWithoutDeliveryDate':
          t.delivered = null;
          break;
      }
      this.counts[draft.quirk]++;
    }
    if (t.delivered !== null && t.delivered > t.estimated) this.counts.lateDeliveries++;
    return t;
  }

  private freight(product: Product, from: StateProfile, to: StateProfile): number {
    const r = this.random;
    const distance = from.code === to.code ? 0 : from.region === to.region ? 1 : NEAR_REGIONS[from.region].includes(to.region) ? 2 : 3;
    const base = [8, 12, 15, 20][distance];
    const perKg = [1.0, 1.8, 2.4, 3.4][distance];
    const volumetric = product.length !== null && product.height !== null && product.width !== null ? (product.length * product.height * product.width) / 6 : 0;
    const kg = Math.max(product.weight ?? 1000, volumetric) / 1000;
    return Math.round(clamp((base + perKg * kg) * r.logNormal(1, 0.36), 1.5, 409.68) * 100);
  }

  private payments(draft: Draft, total: number): Payment[] {
    const r = this.random;
    const k = draft.payments;
    let payments: Payment[];
    if (k === 0) return [];
    if (k === 1) {
      if (draft.paymentQuirk === 'notDefined') {
        this.counts.paymentTypeNotDefined++;
        return [{ type: 'not_defined', installments: 1, cents: 0 }];
      }
      const type = draft.paymentQuirk === 'zeroInstallments' ? 'credit_card' : SINGLE_PAYMENT.draw(r);
      let installments = type === 'credit_card' ? this.installments(total) : 1;
      if (draft.paymentQuirk === 'zeroInstallments') {
        installments = 0;
        this.counts.zeroInstallments++;
      }
      payments = [{ type, installments, cents: total }];
    } else if (r.chance(0.15)) {
      payments = split(r, total, k).map((cents) => ({ type: 'voucher', installments: 1, cents }));
    } else {
      const vouchers: Payment[] = [];
      let rest = total;
      for (let i = 1; i < k; i++) {
        const cents = Math.min(Math.max(0, rest - (k - i)), Math.max(1, Math.round((total * r.uniform(0.02, 0.3)) / (k - 1))));
        vouchers.push({ type: 'voucher', installments: 1, cents });
        rest -= cents;
      }
      const card: Payment = { type: 'credit_card', installments: this.installments(rest), cents: rest };
      payments = r.chance(0.5) ? [card, ...vouchers] : [...vouchers, card];
    }
    if (r.chance(QUIRK_RATES.paymentMismatches)) {
      const last = payments[payments.length - 1];
      const factor = r.chance(0.7) ? 1 + r.uniform(0.01, 0.15) : 1 - r.uniform(0.01, 0.1);
      const adjusted = Math.max(0, Math.round(last.cents * factor));
      if (adjusted !== last.cents) {
        last.cents = adjusted;
        this.counts.paymentMismatches++;
      }
    }
    return payments;
  }

  private installments(cents: number): number {
    return Math.max(1, Math.min(INSTALLMENTS.draw(this.random), Math.floor(cents / 500)));
  }

  private review(timeline: Timeline, previousCreated: number | null): Review {
    const r = this.random;
    const { delivered, estimated, purchase, status } = timeline;
    const score = (delivered === null ? SCORES.undelivered : delivered > estimated ? SCORES.late : SCORES.onTime).draw(r);
    let created: number;
    if (previousCreated !== null) created = previousCreated + r.int(1, 25) * DAY;
    else if (delivered !== null) created = startOfDay(delivered > estimated && r.chance(0.5) ? estimated : delivered) + DAY;
    else if (status === 'canceled' || status === 'unavailable' || status === 'created') created = startOfDay(purchase + r.uniform(2, 25) * DAY);
    else created = startOfDay(estimated) + DAY;
    created = Math.max(created, startOfDay(purchase) + DAY);
    const answered = created + Math.round(clamp(r.logNormal(1.6, 0.9), 0.05, 200) * DAY);
    const hasMessage = r.chance(COMMENT_CHANCE[score]);
    const sentiment = sentimentOf(score);
    return {
      id: r.hexId(),
      createdAt: created,
      score: String(score),
      title: r.chance(hasMessage ? 0.22 : 0.03) ? r.pick(TITLES[sentiment]) : null,
      message: hasMessage ? this.comment(score) : null,
      created: formatTimestamp(created),
      answered: formatTimestamp(answered),
    };
  }

  private comment(score: number): string {
    const r = this.random;
    const phrases = COMMENT_PHRASES[sentimentOf(score)];
    const multiLine = r.chance(MULTI_LINE_CHANCE);
    const count = multiLine ? r.int(2, 3) : r.chance(0.35) ? 2 : 1;
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(score <= 3 && r.chance(0.015) ? r.pick(QUOTED_PHRASES) : r.pick(phrases));
    let text = parts[0];
    for (let i = 1; i < parts.length; i++) {
      text += (multiLine && (i === 1 || r.chance(0.5)) ? '\r\n' : r.pick([', ', '. ', ' ', ' e '])) + parts[i];
    }
    if (multiLine) this.counts.multiLineComments++;
    if (r.chance(0.6)) text = text.charAt(0).toUpperCase() + text.slice(1);
    return text + r.pick(['', '', '.', '!']);
  }
}

function split(r: Random, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => r.uniform(0.2, 1));
  const sum = weights.reduce((s, w) => s + w, 0);
  const out = weights.map((w) => Math.floor((total * w) / sum));
  out[0] += total - out.reduce((s, v) => s + v, 0);
  return out;
}

function stamp(epochSeconds: number | null): string | null {
  return epochSeconds === null ? null : formatTimestamp(epochSeconds);
}

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}

function rowsOf(writers: OrderWriters): number {
  return writers.orders.rows + writers.customers.rows + writers.items.rows + writers.payments.rows + writers.reviews.rows;
}
