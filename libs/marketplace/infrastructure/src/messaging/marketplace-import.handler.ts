import { type InboundMessage, type NewEvent, type Outbox, type SqlTx, withContentId } from '@olist/messaging';
import {
  type CategoryTranslatedV1,
  MARKETPLACE_CONTRACTS,
  type ProductListedV1,
  type ProductRecategorizedV1,
  type SellerRegisteredV1,
} from '@olist/marketplace-contracts';
import type { CategoryTranslation, Product, Seller } from '@olist/marketplace-domain';
import type { ImportCategoryTranslationV1, ImportProductsV1, ImportSellersV1 } from '@olist/quality-contracts';
import { CatalogStore } from '../persistence/catalog.store';
import {
  type ImportException,
  MARKETPLACE_IMPORT_SUBJECTS,
  type MarketplaceImportCommand,
  type RowSource,
  translateImportBatch,
} from './olist-import.acl';

/** What applying a set of raw-feed rows did. */
export interface MarketplaceImportOutcome {
  readonly productsWritten: number;
  readonly sellersWritten: number;
  readonly translationsWritten: number;
  readonly refused: number;
  readonly events: number;
}

const CONTRACT_OF = new Map<string, (typeof MARKETPLACE_CONTRACTS)[number]>(MARKETPLACE_CONTRACTS.map((c) => [c.type, c]));

function newEvent(
  type: string,
  aggregateId: string,
  occurredAt: string,
  payload: ProductListedV1 | ProductRecategorizedV1 | SellerRegisteredV1 | CategoryTranslatedV1,
): NewEvent {
  const contract = CONTRACT_OF.get(type);
  if (!contract) throw new Error(`no marketplace contract for ${type}`);
  return withContentId({ type, version: contract.version, subject: contract.subject, aggregateId, occurredAt, payload });
}

/**
 * One writer at a time across the consumers, the start-up backfill and the instances: a product
 * and its category's translation applied concurrently could otherwise each miss the other.
 */
const lockImport = (tx: SqlTx) => tx.query(`SELECT pg_advisory_xact_lock(hashtext('marketplace.import'))`);

interface Latest<T> {
  readonly value: T;
  readonly source: RowSource;
  readonly loadedAt: string;
}

/**
 * Applies raw-feed rows of products, sellers and category translations to the catalog in the
 * caller's transaction, latest row winning. Events go to the outbox with ids derived from their
 * content: product-listed when a product is new or its attributes changed, product-recategorized
 * when its category changed, seller-registered when a seller is new or its address changed. The
 * same rows applied again change and emit nothing. A category whose English name is new or
 * changed gets category-translated, which also names the products listed before it (their
 * product-listed carried none); their rows here get the name too.
 */
export class MarketplaceImportHandler {
  private readonly store = new CatalogStore();

  constructor(private readonly outbox: Outbox) {}

  /** The handler of the marketplace-import durable consumers. */
  async handle(messages: readonly InboundMessage[], tx: SqlTx): Promise<MarketplaceImportOutcome> {
    const commands: MarketplaceImportCommand[] = [];
    const exceptions: ImportException[] = [];
    for (const message of messages) {
      if (!(MARKETPLACE_IMPORT_SUBJECTS as readonly string[]).includes(message.subject)) continue;
      const envelope = message.envelope<ImportProductsV1 | ImportSellersV1 | ImportCategoryTranslationV1>();
      const translated = translateImportBatch(message.subject, envelope.payload, envelope.occurredAt);
      commands.push(...translated.commands);
      exceptions.push(...translated.exceptions);
    }
    return this.apply(commands, exceptions, tx);
  }

  /**
   * Writes category-translated for the translations stored before the stream was told of them
   * (under the lock the consumers take, so none is told twice); none where every one was told.
   * Business time: when the translation was stored. Returns how many were told.
   */
  async tellUntoldTranslations(tx: SqlTx): Promise<number> {
    await lockImport(tx);
    const untold = await this.store.takeUntoldTranslations(tx);
    const events = untold
      .sort((a, b) => a.category.localeCompare(b.category))
      .map((t) => newEvent('marketplace.category-translated', t.category, t.stored_at.toISOString(), { category: t.category, categoryEn: t.category_en }));
    await this.outbox.append(tx, events);
    return events.length;
  }

  async apply(commands: readonly MarketplaceImportCommand[], exceptions: readonly ImportException[], tx: SqlTx): Promise<MarketplaceImportOutcome> {
    await lockImport(tx);
    const products = new Map<string, Latest<Product>>();
    const sellers = new Map<string, Latest<Seller>>();
    const translations = new Map<string, Latest<CategoryTranslation>>();
    for (const c of commands) {
      if (c.kind === 'list-product') products.set(c.product.id, { value: c.product, source: c.source, loadedAt: c.loadedAt });
      else if (c.kind === 'register-seller') sellers.set(c.seller.id, { value: c.seller, source: c.source, loadedAt: c.loadedAt });
      else translations.set(c.translation.category, { value: c.translation, source: c.source, loadedAt: c.loadedAt });
    }

    const translated = new Set(await this.store.saveTranslations(tx, [...translations.values()].map((t) => t.value)));
    const events: NewEvent[] = [];
    for (const [category, { value, loadedAt }] of translations) {
      if (translated.has(category)) events.push(newEvent('marketplace.category-translated', category, loadedAt, { category, categoryEn: value.categoryEn }));
    }

    const storedProducts = await this.store.loadProducts(tx, [...products.keys()]);
    const english = await this.store.translationsOf(tx, [...new Set([...products.values()].map((p) => p.value.category))]);
    const changedProducts: Product[] = [];
    for (const [id, { value: product, loadedAt }] of products) {
      const previous = storedProducts.get(id) ?? null;
      const { listed, recategorizedFrom } = product.changesSince(previous);
      if (!listed && recategorizedFrom === null) continue;
      changedProducts.push(product);
      const categoryEn = english.get(product.category) ?? null;
      if (listed) events.push(newEvent('marketplace.product-listed', id, loadedAt, { ...product.listing(), categoryEn }));
      if (recategorizedFrom !== null) {
        events.push(newEvent('marketplace.product-recategorized', id, loadedAt, { productId: id, fromCategory: recategorizedFrom, toCategory: product.category, toCategoryEn: categoryEn }));
      }
    }

    const storedSellers = await this.store.loadSellers(tx, [...sellers.keys()]);
    const changedSellers: Seller[] = [];
    for (const [id, { value: seller, loadedAt }] of sellers) {
      const previous = storedSellers.get(id) ?? null;
      if (previous && JSON.stringify([previous.zipPrefixRaw, previous.city.raw, previous.state]) === JSON.stringify([seller.zipPrefixRaw, seller.city.raw, seller.state])) continue;
      changedSellers.push(seller);
      if (seller.registeredSince(previous)) events.push(newEvent('marketplace.seller-registered', id, loadedAt, seller.registration()));
    }

    await this.store.saveProducts(tx, changedProducts);
    await this.store.saveSellers(tx, changedSellers);
    // Accepted reasons only from the row that won for its entity; refusals as they come.
    const winner = (e: ImportException) => {
      const latest = products.get(e.entityId) ?? sellers.get(e.entityId);
      return latest !== undefined && latest.source.file === e.source.file && latest.source.line === e.source.line && latest.source.loadId === e.source.loadId;
    };
    const recorded = exceptions.filter((e) => e.outcome === 'refused' || winner(e));
    const replaced = new Map<string, string[]>();
    for (const [kind, changed] of [[products, changedProducts], [sellers, changedSellers]] as const) {
      for (const entity of changed) {
        const file = kind.get(entity.id)?.source.file as string;
        replaced.set(file, [...(replaced.get(file) ?? []), entity.id]);
      }
    }
    await this.store.recordExceptions(tx, recorded, replaced);
    await this.outbox.append(tx, events);
    return {
      productsWritten: changedProducts.length,
      sellersWritten: changedSellers.length,
      translationsWritten: translated.size,
      refused: recorded.filter((e) => e.outcome === 'refused').length,
      events: events.length,
    };
  }
}
