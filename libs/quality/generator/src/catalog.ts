import { CsvFileWriter } from './csv-file-writer';
import { DatasetSize, QUIRK_RATES, rareCount } from './dataset-size';
import { Geography, ZipArea } from './geography';
import { shopPriceCents } from './money';
import { CategoryProfile, PRODUCT_CATEGORIES } from './reference/categories';
import { Random, WeightedIndex } from './random';

export interface Seller {
  readonly id: string;
  readonly area: ZipArea;
}

export interface Product {
  readonly id: string;
  readonly seller: number;
  readonly category: CategoryProfile | null;
  readonly priceCents: number;
  /** Grams; null when the product has no dimensions. */
  readonly weight: number | null;
  readonly length: number | null;
  readonly height: number | null;
  readonly width: number | null;
}

export interface CatalogCounts {
  productsWithoutCategory: number;
  productsWithoutDimensions: number;
  malformedSellerCities: number;
  sellersOutsideGeolocation: number;
}

const PHOTO_COUNTS = [0, 50, 19.5, 11, 7.5, 5.5, 3.5, 1.5, 1, 0.3, 0.3, 0.1, 0.05, 0.03, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];

/** Sellers and products: kept in memory, since every order item points at one of each. */
export class Catalog {
  readonly sellers: Seller[] = [];
  readonly products: Product[] = [];
  readonly counts: CatalogCounts = {
    productsWithoutCategory: 0,
    productsWithoutDimensions: 0,
    malformedSellerCities: 0,
    sellersOutsideGeolocation: 0,
  };
  /** Generates the sellers and products, writing their rows as they are made. */
  static async write(
    random: Random,
    size: DatasetSize,
    geography: Geography,
    writers: { readonly sellers: CsvFileWriter; readonly products: CsvFileWriter },
  ): Promise<Catalog> {
    const catalog = new Catalog();
    await catalog.writeSellers(random, size.sellers, geography, writers.sellers);
    await catalog.writeProducts(random, size.products, writers.products);
    return catalog;
  }

  private async writeSellers(random: Random, count: number, geography: Geography, writer: CsvFileWriter): Promise<void> {
    const malformed = random.sample(count, rareCount(QUIRK_RATES.malformedSellerCities, count));
    const malformedKind = new Map(malformed.map((index, k) => [index, k % MALFORMED_CITIES.length]));
    for (let i = 0; i < count; i++) {
      const area = geography.sellerZip(random);
      let zip = area.code;
      if (random.chance(0.002)) {
        zip = geography.unlistedCode(random, area);
        if (zip !== area.code) this.counts.sellersOutsideGeolocation++;
      }
      const kind = malformedKind.get(i);
      const city = kind === undefined ? area.city.name : MALFORMED_CITIES[kind](random, area);
      if (kind !== undefined) this.counts.malformedSellerCities++;
      const seller: Seller = { id: random.hexId(), area };
      this.sellers.push(seller);
      writer.write([seller.id, zip, city, area.state.code]);
      await writer.flushIfFull();
    }
  }

  private async writeProducts(random: Random, count: number, writer: CsvFileWriter): Promise<void> {
    const categories = new WeightedIndex(PRODUCT_CATEGORIES.map((c) => c.weight));
    const photos = new WeightedIndex(PHOTO_COUNTS);
    const withoutCategory = new Set(random.sample(count, Math.round(QUIRK_RATES.productsWithoutCategory * count)));
    const withoutDimensions = new Set(random.sample(count, rareCount(QUIRK_RATES.productsWithoutDimensions, count)));
    // Every seller gets a product first; the rest go mostly to a few large sellers.
    const sellerOrder = random.shuffle(Int32Array.from({ length: this.sellers.length }, (_, i) => i));
    const sellerWeights = new Float64Array(this.sellers.length);
    sellerOrder.forEach((seller, rank) => (sellerWeights[seller] = 1 / Math.pow(rank + 6, 0.9)));
    const sellerIndex = new WeightedIndex(sellerWeights);

    for (let i = 0; i < count; i++) {
      const category = PRODUCT_CATEGORIES[categories.draw(random)];
      const seller = i < sellerOrder.length ? sellerOrder[i] : sellerIndex.draw(random);
      const noCategory = withoutCategory.has(i);
      const noDimensions = withoutDimensions.has(i) && !noCategory;
      const weight = noDimensions ? null : productWeight(random, category.medianWeight);
      const product: Product = {
        id: random.hexId(),
        seller,
        category: noCategory ? null : category,
        priceCents: Math.min(673_500, shopPriceCents(random, Math.min(6735, productPrice(random, category.medianPrice)))),
        weight,
        length: weight === null ? null : clampInt(random.logNormal(25 * Math.pow(weight / 700, 0.15), 0.42), 7, 105),
        height: weight === null ? null : clampInt(random.logNormal(12 * Math.pow(weight / 700, 0.2), 0.65), 2, 105),
        width: weight === null ? null : clampInt(random.logNormal(19 * Math.pow(weight / 700, 0.12), 0.42), 6, 118),
      };
      this.products.push(product);
      if (noCategory) this.counts.productsWithoutCategory++;
      if (noDimensions) this.counts.productsWithoutDimensions++;
      const nameLength = clampInt(random.chance(0.1) ? random.uniform(5, 40) : 53 + 8 * random.normal(), 5, 76);
      const descriptionLength = clampInt(random.logNormal(600, 0.75), 4, 3992);
      writer.write([
        product.id,
        product.category?.name ?? null,
        noCategory ? null : String(nameLength),
        noCategory ? null : String(descriptionLength),
        noCategory ? null : String(photos.draw(random)),
        weight === null ? null : String(weight),
        product.length === null ? null : String(product.length),
        product.height === null ? null : String(product.height),
        product.width === null ? null : String(product.width),
      ]);
      await writer.flushIfFull();
    }
  }
}

function productPrice(random: Random, median: number): number {
  const price = random.logNormal(median, 0.85);
  // A few premium items make the long tail of the real prices.
  return random.chance(0.03) ? price * random.uniform(2, 6) : price;
}

function productWeight(random: Random, median: number): number {
  const grams = Math.min(40_425, Math.max(50, random.logNormal(median, 1.1)));
  if (grams >= 1000) return Math.round(grams / 50) * 50;
  if (random.chance(0.7)) return Math.round(grams / 10) * 10;
  return Math.round(grams);
}

function clampInt(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.round(v)));
}

// Free-text cities as some sellers typed them.
const MALFORMED_CITIES: readonly ((random: Random, area: ZipArea) => string)[] = [
  (random, area) => `${area.code}${String(random.int(0, 999)).padStart(3, '0')}`,
  (random) => `vendas@loja${random.int(10, 99)}.com.br`,
  (_random, area) => `${area.state.code.toLowerCase()} / ${area.state.code.toLowerCase()}`,
  (_random, area) => `${area.city.name} / ${area.city.name}`,
  (_random, area) => `${area.city.name}/${area.state.code.toLowerCase()}`,
  (_random, area) => `${area.city.name}, ${area.city.name}, brasil`,
];

/**
 * Chooses the product of each order item: popular products sell far more often, yet every
 * product of the catalogue is sold at least once (as in the real data) when there are enough items.
 */
export class ProductPicker {
  private readonly popularity: WeightedIndex;
  private readonly unsold: Int32Array;
  private unsoldAt = 0;
  private readonly bySellerStart: Int32Array;
  private readonly bySeller: Int32Array;

  constructor(
    random: Random,
    private readonly catalog: Catalog,
    private itemsLeft: number,
  ) {
    const n = catalog.products.length;
    const rank = random.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const weights = new Float64Array(n);
    rank.forEach((product, r) => (weights[product] = Math.pow(r + 30, -1.1)));
    this.popularity = new WeightedIndex(weights);
    this.unsold = random.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const counts = new Int32Array(catalog.sellers.length + 1);
    for (const p of catalog.products) counts[p.seller + 1]++;
    for (let s = 1; s < counts.length; s++) counts[s] += counts[s - 1];
    this.bySellerStart = counts;
    this.bySeller = new Int32Array(n);
    const fill = counts.slice(0, catalog.sellers.length);
    catalog.products.forEach((p, i) => (this.bySeller[fill[p.seller]++] = i));
  }

  /** Products still to be sold once, against the item rows still to be written. */
  get mustIntroduce(): boolean {
    return this.catalog.products.length - this.unsoldAt >= this.itemsLeft;
  }

  /** Whether `rows` rows may repeat one product and still leave a row for every product not sold yet. */
  canRepeat(rows: number): boolean {
    return this.catalog.products.length - this.unsoldAt + rows <= this.itemsLeft;
  }

  /** The product of the next item row (or rows, when `rows` > 1 repeat the same product). */
  next(random: Random, rows = 1): number {
    const left = this.catalog.products.length - this.unsoldAt;
    const introduce = left > 0 && (left >= this.itemsLeft || random.chance(Math.min(1, (1.15 * left) / Math.max(1, this.itemsLeft))));
    this.itemsLeft -= rows;
    return introduce ? this.unsold[this.unsoldAt++] : this.popularity.draw(random);
  }

  /** Another product of the same seller, when it has one. */
  sameSeller(random: Random, product: number, rows = 1): number {
    const seller = this.catalog.products[product].seller;
    const from = this.bySellerStart[seller];
    const to = this.bySellerStart[seller + 1];
    if (to - from < 2 || this.mustIntroduce) return this.next(random, rows);
    this.itemsLeft -= rows;
    return this.bySeller[from + Math.floor(random.next() * (to - from))];
  }

  /** A product for a basket that is never written (orders without items), without selling it. */
  peek(random: Random): number {
    return this.popularity.draw(random);
  }
}
