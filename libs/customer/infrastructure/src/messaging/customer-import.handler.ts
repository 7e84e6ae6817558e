import { CUSTOMER_CONTRACTS, type CustomerRegisteredV1, type ReviewSubmittedV1 } from '@olist/customer-contracts';
import type { CustomerAccount, Review } from '@olist/customer-domain';
import { type InboundMessage, type NewEvent, type Outbox, type SqlTx, withContentId } from '@olist/messaging';
import type { ImportCustomersV1, ImportOrderReviewsV1 } from '@olist/quality-contracts';
import type { PiiCipher } from '../crypto/pii-cipher';
import { markSegmentsDirty } from '../segments/segment-work';
import { type AccountRecord, CustomerStore, type ReviewRecord } from '../persistence/customer.store';
import { CUSTOMER_IMPORT_SUBJECTS, type CustomerImportCommand, type ImportRefusal, translateCustomerImportBatch } from './customer-import.acl';

/** What applying a set of raw-feed rows did. */
export interface CustomerImportOutcome {
  readonly accountsWritten: number;
  readonly customersChanged: number;
  readonly reviewsWritten: number;
  readonly refused: number;
  readonly events: number;
}

/** Associated texts of the encrypted columns: a value moved to another row or column fails to decrypt. */
export const piiContext = {
  zipPrefix: (customerId: string) => `customer_ids.zip_prefix:${customerId}`,
  city: (customerId: string) => `customer_ids.city:${customerId}`,
  title: (reviewId: string, orderId: string) => `reviews.title:${reviewId}:${orderId}`,
  message: (reviewId: string, orderId: string) => `reviews.message:${reviewId}:${orderId}`,
};

const CONTRACT_OF = new Map<string, (typeof CUSTOMER_CONTRACTS)[number]>(CUSTOMER_CONTRACTS.map((c) => [c.type, c]));

function newEvent(type: string, aggregateId: string, occurredAt: string, payload: CustomerRegisteredV1 | ReviewSubmittedV1): NewEvent {
  const contract = CONTRACT_OF.get(type);
  if (!contract) throw new Error(`no customer contract for ${type}`);
  return withContentId({ type, version: contract.version, subject: contract.subject, aggregateId, occurredAt, payload });
}

const same = (a: Buffer | null, b: Buffer | null) => (a === null || b === null ? a === b : a.equals(b));

/**
 * Applies raw-feed rows of customers and order reviews in the caller's transaction, latest row
 * winning. Personal values are compared through their keyed hashes and written encrypted; a row
 * whose values are all unchanged is not written again. customer-registered goes to the outbox
 * when a person is new, gained a customer id or its state changed; review-submitted when a
 * review is new or its score, times or hasComment changed. Event ids derive from their content,
 * and events carry ids and non-personal attributes only. Changed accounts mark the segments dirty.
 */
export class CustomerImportHandler {
  private readonly store = new CustomerStore();

  constructor(
    private readonly outbox: Outbox,
    private readonly cipher: PiiCipher,
    /** Unseals the personal columns of the raw feed (OLIST_FEED_KEYS); `cipher` re-encrypts them for storage. */
    private readonly feed: PiiCipher,
  ) {}

  /** The handler of the customer-import durable consumers. */
  async handle(messages: readonly InboundMessage[], tx: SqlTx): Promise<CustomerImportOutcome> {
    const commands: CustomerImportCommand[] = [];
    const refusals: ImportRefusal[] = [];
    for (const message of messages) {
      if (!(CUSTOMER_IMPORT_SUBJECTS as readonly string[]).includes(message.subject)) continue;
      const envelope = message.envelope<ImportCustomersV1 | ImportOrderReviewsV1>();
      const translated = translateCustomerImportBatch(message.subject, envelope.payload, envelope.occurredAt, this.feed);
      commands.push(...translated.commands);
      refusals.push(...translated.refusals);
    }
    return this.apply(commands, refusals, tx);
  }

  async apply(commands: readonly CustomerImportCommand[], refusals: readonly ImportRefusal[], tx: SqlTx): Promise<CustomerImportOutcome> {
    // One writer at a time across the consumers and instances: two batches adding customer ids
    // to the same person must not each miss the other's.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('customer.import'))`);
    const accounts = new Map<string, { uniqueId: string; account: CustomerAccount; loadedAt: string }>();
    const reviews = new Map<string, Review>();
    for (const c of commands) {
      if (c.kind === 'register-account') accounts.set(c.account.customerId, { uniqueId: c.uniqueId, account: c.account, loadedAt: c.loadedAt });
      else reviews.set(`${c.review.reviewId}|${c.review.orderId}`, c.review);
    }

    const events: NewEvent[] = [];

    const storedAccounts = await this.store.loadAccounts(tx, [...accounts.keys()]);
    const changedAccounts: AccountRecord[] = [];
    const touched = new Map<string, string>();
    for (const [customerId, { uniqueId, account, loadedAt }] of accounts) {
      const { zipPrefix, city, state } = account.address;
      const zipPrefixHash = this.cipher.keyedHash(zipPrefix, 'zip_prefix');
      const cityHash = this.cipher.keyedHash(city, 'city');
      const previous = storedAccounts.get(customerId);
      if (previous && previous.uniqueId === uniqueId && previous.state === state && previous.zipPrefixHash.equals(zipPrefixHash) && previous.cityHash.equals(cityHash)) continue;
      changedAccounts.push({
        customerId,
        uniqueId,
        state,
        zipPrefix: this.cipher.encrypt(zipPrefix, piiContext.zipPrefix(customerId)),
        zipPrefixHash,
        city: this.cipher.encrypt(city, piiContext.city(customerId)),
        cityHash,
      });
      touched.set(uniqueId, loadedAt);
      if (previous && previous.uniqueId !== uniqueId) touched.set(previous.uniqueId, loadedAt);
    }
    await this.store.saveAccounts(tx, changedAccounts);
    const changedCustomers = await this.store.refreshCustomers(tx, [...touched.keys()]);
    for (const c of changedCustomers) {
      const payload: CustomerRegisteredV1 = { customerUniqueId: c.uniqueId, customerIds: c.customerIds, state: c.state as CustomerRegisteredV1['state'] };
      events.push(newEvent('customer.customer-registered', c.uniqueId, touched.get(c.uniqueId) as string, payload));
    }

    const storedReviews = await this.store.loadReviews(tx, [...reviews.values()].map((r) => ({ reviewId: r.reviewId, orderId: r.orderId })));
    const changedReviews: ReviewRecord[] = [];
    for (const [key, review] of reviews) {
      const titleHash = this.cipher.keyedHashNullable(review.title, 'review_title');
      const messageHash = this.cipher.keyedHashNullable(review.message, 'review_message');
      const previous = storedReviews.get(key);
      const submissionChanged =
        !previous || previous.score !== review.score || previous.createdAt !== review.createdAt || previous.answeredAt !== review.answeredAt ||
        (previous.titleHash !== null || previous.messageHash !== null) !== review.hasComment;
      if (previous && !submissionChanged && same(previous.titleHash, titleHash) && same(previous.messageHash, messageHash)) continue;
      changedReviews.push({
        reviewId: review.reviewId,
        orderId: review.orderId,
        score: review.score,
        title: this.cipher.encryptNullable(review.title, piiContext.title(review.reviewId, review.orderId)),
        titleHash,
        message: this.cipher.encryptNullable(review.message, piiContext.message(review.reviewId, review.orderId)),
        messageHash,
        hasComment: review.hasComment,
        createdAt: review.createdAt,
        answeredAt: review.answeredAt,
      });
      if (submissionChanged) events.push(newEvent('customer.review-submitted', review.reviewId, review.createdAt, review.submission()));
    }
    await this.store.saveReviews(tx, changedReviews);

    await this.store.recordRefusals(tx, refusals);
    await this.outbox.append(tx, events);
    // Persons and their customer ids are inputs of the segments (a new person is NEW; an order may have arrived before its customer).
    if (changedAccounts.length > 0) await markSegmentsDirty(tx);
    return {
      accountsWritten: changedAccounts.length,
      customersChanged: changedCustomers.length,
      reviewsWritten: changedReviews.length,
      refused: refusals.length,
      events: events.length,
    };
  }
}
