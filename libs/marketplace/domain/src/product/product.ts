import { type DomainError, type Result, domainError, err, ok } from '@olist/shared-kernel';

/** The category of a product without one in the source data. */
export const UNCATEGORIZED = 'uncategorized';

export const ProductErrorCode = {
  EMPTY_ID: 'PRODUCT.EMPTY_ID',
  EMPTY_CATEGORY: 'PRODUCT.EMPTY_CATEGORY',
  NON_POSITIVE_MEASURE: 'PRODUCT.NON_POSITIVE_MEASURE',
  INVALID_PHOTOS_QTY: 'PRODUCT.INVALID_PHOTOS_QTY',
} as const;

/** Weight in grams and sizes in centimetres; null when the source has no (usable) value. */
export interface Dimensions {
  readonly weightG: number | null;
  readonly lengthCm: number | null;
  readonly heightCm: number | null;
  readonly widthCm: number | null;
}

export interface ProductInput {
  readonly productId: string;
  /** Portuguese category name, or {@link UNCATEGORIZED}. */
  readonly category: string;
  readonly dimensions: Dimensions;
  readonly photosQty: number | null;
  /** Codes of the source-data exceptions the translation accepted, e.g. MISSING_CATEGORY. */
  readonly exceptions?: readonly string[];
}

/** The product-listed payload without the English category name (it comes from the translations). */
export interface ProductListing {
  productId: string;
  category: string;
  dimensions: Dimensions;
  photosQty: number | null;
  exceptions: string[];
}

/**
 * A catalog product: always in a category (the explicit `uncategorized` when the source has
 * none); every measure present is positive. Missing or zero source values are decided before
 * (null, with an exception code), never here.
 */
export class Product {
  private constructor(
    readonly id: string,
    readonly category: string,
    readonly dimensions: Dimensions,
    readonly photosQty: number | null,
    readonly exceptions: readonly string[],
  ) {
    Object.freeze(this);
  }

  static create(input: ProductInput): Result<Product, DomainError> {
    const id = input.productId.trim();
    if (id === '') return err(domainError(ProductErrorCode.EMPTY_ID, 'product id is empty'));
    const category = input.category.trim();
    if (category === '') return err(domainError(ProductErrorCode.EMPTY_CATEGORY, `product ${id}: category is empty (use "${UNCATEGORIZED}")`));
    for (const [name, value] of Object.entries(input.dimensions)) {
      if (value !== null && !(Number.isFinite(value) && value > 0)) {
        return err(domainError(ProductErrorCode.NON_POSITIVE_MEASURE, `product ${id}: ${name} ${String(value)} is not a positive number`));
      }
    }
    if (input.photosQty !== null && !(Number.isSafeInteger(input.photosQty) && input.photosQty >= 0)) {
      return err(domainError(ProductErrorCode.INVALID_PHOTOS_QTY, `product ${id}: photos quantity ${String(input.photosQty)} is not a whole number ≥ 0`));
    }
    const { weightG, lengthCm, heightCm, widthCm } = input.dimensions;
    const exceptions = [...new Set(input.exceptions ?? [])].sort();
    return ok(new Product(id, category, { weightG, lengthCm, heightCm, widthCm }, input.photosQty, exceptions));
  }

  get uncategorized(): boolean {
    return this.category === UNCATEGORIZED;
  }

  /** What product-listed says about this product (besides the English category name). */
  listing(): ProductListing {
    return { productId: this.id, category: this.category, dimensions: { ...this.dimensions }, photosQty: this.photosQty, exceptions: [...this.exceptions] };
  }

  /**
   * What a reader of `previous` must be told: listed when the product is new or an attribute
   * other than its category changed; recategorized when its category changed.
   */
  changesSince(previous: Product | null): { listed: boolean; recategorizedFrom: string | null } {
    if (!previous) return { listed: true, recategorizedFrom: null };
    const attributes = (p: Product) => JSON.stringify([p.dimensions, p.photosQty, p.exceptions]);
    return {
      listed: attributes(this) !== attributes(previous),
      recategorizedFrom: previous.category !== this.category ? previous.category : null,
    };
  }
}
