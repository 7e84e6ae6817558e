/** Row counts of the original data set (scale 1). */
export const FULL_SIZE = {
  orders: 99_441,
  items: 112_650,
  payments: 103_886,
  reviews: 99_224,
  customers: 99_441,
  products: 32_951,
  sellers: 3_095,
  geolocation: 1_000_163,
  translations: 71,
} as const;

export type DatasetSize = { readonly [K in keyof typeof FULL_SIZE]: number };

/** Counts for a scale: the full counts multiplied and rounded, at least 1; always 71 translations. */
export function datasetSize(scale: number): DatasetSize {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be a positive number (got ${scale})`);
  const scaled = (n: number) => Math.max(1, Math.round(n * scale));
  const orders = scaled(FULL_SIZE.orders);
  return {
    orders,
    items: scaled(FULL_SIZE.items),
    payments: scaled(FULL_SIZE.payments),
    reviews: scaled(FULL_SIZE.reviews),
    customers: orders,
    products: scaled(FULL_SIZE.products),
    sellers: scaled(FULL_SIZE.sellers),
    geolocation: scaled(FULL_SIZE.geolocation),
    translations: FULL_SIZE.translations,
  };
}

/**
 * How often the real data's quirks occur, per row of the table they live in. Most are the counts
 * found on a 15,000-order sample of the real data divided by its row counts.
 */
export const QUIRK_RATES = {
  ordersWithoutItems: 115 / 15_000,
  deliveredWithoutApproval: 7 / 15_000,
  carrierBeforePurchase: 31 / 15_000,
  deliveredBeforeCarrier: 2 / 15_000,
  deliveredWithoutDeliveryDate: 8 / 99_441,
  ordersWithoutPayment: 1 / 99_441,
  ordersWithSeveralReviews: 71 / 15_000,
  reviewIdsReused: 20 / 14_944,
  multiLineComments: 570 / 14_944,
  itemsWithZeroFreight: 57 / 17_071,
  duplicateGeolocationRows: 0.262,
  geolocationOutsideBrazil: 3 / 50_000,
  productsWithoutCategory: 610 / 32_951,
  productsWithoutDimensions: 2 / 32_951,
  paymentTypeNotDefined: 3 / 103_886,
  zeroInstallments: 2 / 103_886,
  malformedSellerCities: 11 / 1_904,
  paymentMismatches: 48 / 14_885,
  repeatCustomers: 0.029,
} as const;

/** Expected count of a rare quirk among `n` rows: at least one once the table is not tiny. */
export function rareCount(rate: number, n: number): number {
  return Math.max(n >= 25 ? 1 : 0, Math.round(rate * n));
}

/** Share of `total` that falls in rows [start, end) of `n`, so that the shares of consecutive ranges add up exactly. */
export function shareOf(total: number, start: number, end: number, n: number): number {
  const upTo = (x: number) => Math.floor((total * x + Math.floor(n / 2)) / n);
  return upTo(end) - upTo(start);
}
