import { type DomainError, type Result, domainError, err, ok } from './result';

/** Geographic points (WGS 84 degrees) and distances between them. */

export const GeoErrorCode = {
  NOT_FINITE: 'GEO.NOT_FINITE',
  LATITUDE_OUT_OF_RANGE: 'GEO.LATITUDE_OUT_OF_RANGE',
  LONGITUDE_OUT_OF_RANGE: 'GEO.LONGITUDE_OUT_OF_RANGE',
} as const;

export type GeoErrorCode = (typeof GeoErrorCode)[keyof typeof GeoErrorCode];

/**
 * Mean Earth radius R1 = (2a + b) / 3 of the WGS 84 ellipsoid, in kilometres, as
 * recommended by the IUGG for spherical approximations.
 */
export const EARTH_RADIUS_KM = 6371.0088;

/**
 * Axis-aligned bounding box of Brazil in degrees, edges inclusive. It spans from
 * the Arroio Chuí (south) to Monte Caburaí (north) and from the Serra da Contamana
 * (west) to Ponta do Seixas (east). Oceanic islands such as Fernando de Noronha and
 * Trindade lie outside it. A box is coarse by design: it rejects the swapped or
 * foreign coordinates found in the Olist geolocation file, not every point abroad.
 */
export const BRAZIL_BOUNDING_BOX = Object.freeze({
  minLat: -33.75,
  maxLat: 5.27,
  minLng: -73.99,
  maxLng: -34.79,
});

export class GeoPoint {
  readonly lat: number;
  readonly lng: number;

  private constructor(lat: number, lng: number) {
    this.lat = lat;
    this.lng = lng;
    Object.freeze(this);
  }

  /** Latitude in [-90, 90], longitude in [-180, 180], both finite numbers. */
  static create(lat: number, lng: number): Result<GeoPoint, DomainError> {
    if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) {
      return err(domainError(GeoErrorCode.NOT_FINITE, `coordinates (${String(lat)}, ${String(lng)}) are not finite numbers`));
    }
    if (lat < -90 || lat > 90) {
      return err(domainError(GeoErrorCode.LATITUDE_OUT_OF_RANGE, `latitude ${lat} is outside [-90, 90]`));
    }
    if (lng < -180 || lng > 180) {
      return err(domainError(GeoErrorCode.LONGITUDE_OUT_OF_RANGE, `longitude ${lng} is outside [-180, 180]`));
    }
    // Normalise -0 so that equality and JSON never see it.
    return ok(new GeoPoint(lat + 0, lng + 0));
  }

  equals(other: GeoPoint): boolean {
    return this.lat === other.lat && this.lng === other.lng;
  }

  toJSON(): { lat: number; lng: number } {
    return { lat: this.lat, lng: this.lng };
  }
}

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/**
 * Great-circle distance in kilometres on a sphere of radius {@link EARTH_RADIUS_KM}
 * (haversine formula). The spherical model differs from the WGS 84 ellipsoid by up
 * to about 0.5 %; rounding error stays below a metre even for nearly antipodal points.
 */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const phi1 = toRadians(a.lat);
  const phi2 = toRadians(b.lat);
  const sinHalfDeltaPhi = Math.sin((phi2 - phi1) / 2);
  const sinHalfDeltaLambda = Math.sin(toRadians(b.lng - a.lng) / 2);
  const h = sinHalfDeltaPhi * sinHalfDeltaPhi + Math.cos(phi1) * Math.cos(phi2) * sinHalfDeltaLambda * sinHalfDeltaLambda;
  // Clamp: rounding can push h marginally outside [0, 1] for antipodal points.
  const clamped = Math.min(1, Math.max(0, h));
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(clamped));
}

/** True when the point lies within {@link BRAZIL_BOUNDING_BOX}, edges included. */
export function isInsideBrazil(point: GeoPoint): boolean {
  const box = BRAZIL_BOUNDING_BOX;
  return point.lat >= box.minLat && point.lat <= box.maxLat && point.lng >= box.minLng && point.lng <= box.maxLng;
}

/**
 * Arithmetic mean of latitudes and of longitudes, as used for zip-prefix centroids.
 * Adequate for points spread over a small area away from the antimeridian (true for
 * any zip prefix in Brazil); it is not a spherical centroid.
 *
 * @throws RangeError for an empty list (a group of points is never empty).
 */
export function centroid(points: readonly GeoPoint[]): GeoPoint {
  if (points.length === 0) {
    throw new RangeError('centroid expects at least one point');
  }
  let latSum = 0;
  let lngSum = 0;
  for (const p of points) {
    latSum += p.lat;
    lngSum += p.lng;
  }
  const lat = clamp(latSum / points.length, -90, 90);
  const lng = clamp(lngSum / points.length, -180, 180);
  const result = GeoPoint.create(lat, lng);
  if (!result.ok) {
    throw new RangeError(`centroid produced an invalid point: ${result.error.message}`);
  }
  return result.value;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
