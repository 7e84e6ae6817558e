import type { ImportRowV1 } from '@olist/quality-contracts';
import { GeoPoint, isInsideBrazil, UF, ZipPrefix } from '@olist/shared-kernel';

/** A point of the public geolocation feed as dim_geolocation uses it. */
export interface GeolocationPoint {
  readonly zip: string;
  readonly lat: number;
  readonly lng: number;
  readonly city: string;
  readonly state: string;
}

/**
 * Translates rows of `olist.import.geolocation.v1` into points: zip prefixes zero-padded to five
 * digits (re-saved copies lose the leading zero), coordinates parsed, city trimmed and lower-cased.
 * Rows the warehouse cannot place — an unreadable prefix, coordinates that are not numbers or lie
 * outside Brazil, an unknown state — are left out of the dimension and counted.
 */
export function translateGeolocationRows(rows: readonly ImportRowV1<'geolocation'>[]): { points: GeolocationPoint[]; refused: number } {
  const points: GeolocationPoint[] = [];
  let refused = 0;
  for (const { values } of rows) {
    const zip = ZipPrefix.parse(values.geolocation_zip_code_prefix ?? '');
    const point = GeoPoint.create(Number(values.geolocation_lat ?? 'x'), Number(values.geolocation_lng ?? 'x'));
    const state = (values.geolocation_state ?? '').trim().toUpperCase();
    const city = (values.geolocation_city ?? '').trim().toLowerCase();
    if (!zip.ok || !point.ok || !isInsideBrazil(point.value) || !UF.is(state) || city === '') {
      refused += 1;
      continue;
    }
    points.push({ zip: zip.value.value, lat: point.value.lat, lng: point.value.lng, city, state });
  }
  return { points, refused };
}
