import {
  type CategoryTranslation,
  type Dimensions,
  Product,
  Seller,
  translation,
  UNCATEGORIZED,
} from '@olist/marketplace-domain';
import type { ImportCategoryTranslationV1, ImportProductsV1, ImportSellersV1 } from '@olist/quality-contracts';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { type DomainError, type Result, domainError, err, ok } from '@olist/shared-kernel';

/**
 * Anti-corruption layer between the raw feed (olist.import.{products,sellers,category_translation}.v1:
 * every CSV column as text) and the catalog model. The source's real exceptions — a product
 * without category, a missing or zero measure, a malformed seller city — are decided here: the
 * entity is kept with a recorded reason. A row that cannot be read is refused with its line.
 */

export const MARKETPLACE_IMPORT_SUBJECTS = [IMPORT_SUBJECTS.products, IMPORT_SUBJECTS.sellers, IMPORT_SUBJECTS.category_translation] as const;

export const MarketplaceImportErrorCode = {
  MISSING_FIELD: 'MARKETPLACE_IMPORT.MISSING_FIELD',
  INVALID_NUMBER: 'MARKETPLACE_IMPORT.INVALID_NUMBER',
} as const;

/** Where a row came from. */
export interface RowSource {
  readonly loadId: string;
  readonly file: string;
  readonly line: number;
}

/** A reason recorded about one entity: accepted with a warning, or refused. */
export interface ImportException {
  readonly source: RowSource;
  readonly entityId: string;
  readonly code: string;
  readonly outcome: 'accepted' | 'refused';
  readonly message: string;
}

export type MarketplaceImportCommand =
  | { readonly kind: 'list-product'; readonly product: Product; readonly source: RowSource; readonly loadedAt: string }
  | { readonly kind: 'register-seller'; readonly seller: Seller; readonly source: RowSource; readonly loadedAt: string }
  | { readonly kind: 'translate-category'; readonly translation: CategoryTranslation; readonly source: RowSource; readonly loadedAt: string };

export interface TranslatedBatch {
  readonly commands: MarketplaceImportCommand[];
  readonly exceptions: ImportException[];
}

type Values = Readonly<Record<string, string | null>>;

const text = (values: Values, field: string) => values[field]?.trim() ?? '';

/** A non-negative number as written in the files (`400.0`); null when empty. */
function measure(values: Values, field: string): Result<number | null, DomainError> {
  const value = text(values, field);
  if (value === '') return ok(null);
  if (!/^\d+(?:\.\d+)?$/.test(value)) return err(domainError(MarketplaceImportErrorCode.INVALID_NUMBER, `${field} "${value}" is not a number ≥ 0`));
  return ok(Number(value));
}

const MEASURES: readonly [keyof Dimensions, string, string][] = [
  ['weightG', 'product_weight_g', 'WEIGHT'],
  ['lengthCm', 'product_length_cm', 'LENGTH'],
  ['heightCm', 'product_height_cm', 'HEIGHT'],
  ['widthCm', 'product_width_cm', 'WIDTH'],
];

/** A product row: a missing category becomes `uncategorized`, a missing or zero measure null, each with its reason. */
export function translateProductRow(values: Values): Result<{ product: Product; reasons: { code: string; message: string }[] }, DomainError> {
  const productId = text(values, 'product_id');
  if (productId === '') return err(domainError(MarketplaceImportErrorCode.MISSING_FIELD, 'product_id is empty'));
  const reasons: { code: string; message: string }[] = [];
  let category = text(values, 'product_category_name');
  if (category === '') {
    category = UNCATEGORIZED;
    reasons.push({ code: 'MISSING_CATEGORY', message: `product_category_name is empty: listed as "${UNCATEGORIZED}"` });
  }
  const dimensions: Record<keyof Dimensions, number | null> = { weightG: null, lengthCm: null, heightCm: null, widthCm: null };
  for (const [key, field, name] of MEASURES) {
    const value = measure(values, field);
    if (!value.ok) return value;
    if (value.value === null) reasons.push({ code: `MISSING_${name}`, message: `${field} is empty: kept as null` });
    else if (value.value === 0) reasons.push({ code: `ZERO_${name}`, message: `${field} is 0: kept as null` });
    else dimensions[key] = value.value;
  }
  const photos = measure(values, 'product_photos_qty');
  if (!photos.ok) return photos;
  if (photos.value !== null && !Number.isInteger(photos.value)) {
    return err(domainError(MarketplaceImportErrorCode.INVALID_NUMBER, `product_photos_qty "${text(values, 'product_photos_qty')}" is not a whole number`));
  }
  if (photos.value === null) reasons.push({ code: 'MISSING_PHOTOS_QTY', message: 'product_photos_qty is empty: kept as null' });
  const product = Product.create({ productId, category, dimensions, photosQty: photos.value, exceptions: reasons.map((r) => r.code) });
  return product.ok ? ok({ product: product.value, reasons }) : product;
}

export function translateSellerRow(values: Values): Result<Seller, DomainError> {
  const sellerId = text(values, 'seller_id');
  if (sellerId === '') return err(domainError(MarketplaceImportErrorCode.MISSING_FIELD, 'seller_id is empty'));
  return Seller.register({
    sellerId,
    zipPrefix: values['seller_zip_code_prefix'] ?? '',
    city: values['seller_city'] ?? '',
    state: values['seller_state'] ?? '',
  });
}

export function translateCategoryRow(values: Values): Result<CategoryTranslation, DomainError> {
  return translation(values['product_category_name'] ?? '', values['product_category_name_english'] ?? '');
}

const ID_FIELD: Readonly<Record<string, string>> = {
  [IMPORT_SUBJECTS.products]: 'product_id',
  [IMPORT_SUBJECTS.sellers]: 'seller_id',
  [IMPORT_SUBJECTS.category_translation]: 'product_category_name',
};

/**
 * Translates one raw-feed batch of a subject marketplace reads (batches of other subjects
 * translate to nothing). `loadedAt` is the business time of the events: the load.
 */
export function translateImportBatch(
  subject: string,
  batch: ImportProductsV1 | ImportSellersV1 | ImportCategoryTranslationV1,
  loadedAt: string,
): TranslatedBatch {
  const commands: MarketplaceImportCommand[] = [];
  const exceptions: ImportException[] = [];
  const idField = ID_FIELD[subject];
  if (!idField) return { commands, exceptions };
  for (const row of batch.rows) {
    const values = row.values as Values;
    const source: RowSource = { loadId: batch.loadId, file: batch.file, line: row.line };
    const entityId = text(values, idField) || `line ${row.line}`;
    const record = (code: string, message: string, outcome: 'accepted' | 'refused') =>
      exceptions.push({ source, entityId, code, outcome, message: `${batch.file} line ${row.line}: ${message}` });
    if (subject === IMPORT_SUBJECTS.products) {
      const product = translateProductRow(values);
      if (!product.ok) record(product.error.code, product.error.message, 'refused');
      else {
        commands.push({ kind: 'list-product', product: product.value.product, source, loadedAt });
        for (const r of product.value.reasons) record(r.code, r.message, 'accepted');
      }
    } else if (subject === IMPORT_SUBJECTS.sellers) {
      const seller = translateSellerRow(values);
      if (!seller.ok) record(seller.error.code, seller.error.message, 'refused');
      else {
        commands.push({ kind: 'register-seller', seller: seller.value, source, loadedAt });
        for (const flag of seller.value.flags) {
          const { raw, normalized } = seller.value.city;
          const message =
            flag === 'ZIP_PADDED'
              ? `seller_zip_code_prefix "${text(values, 'seller_zip_code_prefix')}" padded to ${seller.value.zipPrefix.value}`
              : `seller_city "${raw}" ${normalized === null ? 'is not a city: kept as written' : `normalised to "${normalized}"`}`;
          record(flag, message, 'accepted');
        }
      }
    } else {
      const t = translateCategoryRow(values);
      if (t.ok) commands.push({ kind: 'translate-category', translation: t.value, source, loadedAt });
      else record(t.error.code, t.error.message, 'refused');
    }
  }
  return { commands, exceptions };
}
