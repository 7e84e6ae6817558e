import fc from 'fast-check';
import {
  BRAZIL_BOUNDING_BOX,
  EARTH_RADIUS_KM,
  GeoErrorCode,
  GeoPoint,
  centroid,
  haversineKm,
  isInsideBrazil,
} from './geolocation';
import { unwrap } from './result';

const point = (lat: number, lng: number) => unwrap(GeoPoint.create(lat, lng));

const SAO_PAULO = point(-23.5505, -46.6333);
const RIO = point(-22.9068, -43.1729);
const BRASILIA = point(-15.7939, -47.8828);
const MANAUS = point(-3.119, -60.0217);
const LISBON = point(38.7223, -9.1393);

describe('GeoPoint', () => {
  it('creates a frozen point', () => {
    expect(SAO_PAULO.lat).toBe(-23.5505);
    expect(SAO_PAULO.lng).toBe(-46.6333);
    expect(Object.isFrozen(SAO_PAULO)).toBe(true);
    expect(JSON.stringify(SAO_PAULO)).toBe('{"lat":-23.5505,"lng":-46.6333}');
  });

  it('accepts the range bounds', () => {
    expect(GeoPoint.create(90, 180).ok).toBe(true);
    expect(GeoPoint.create(-90, -180).ok).toBe(true);
    expect(Object.is(point(-0, -0).lat, 0)).toBe(true);
  });

  it.each([
    [NaN, 0, GeoErrorCode.NOT_FINITE],
    [0, Infinity, GeoErrorCode.NOT_FINITE],
    [90.0001, 0, GeoErrorCode.LATITUDE_OUT_OF_RANGE],
    [-91, 0, GeoErrorCode.LATITUDE_OUT_OF_RANGE],
    [0, 180.5, GeoErrorCode.LONGITUDE_OUT_OF_RANGE],
    [0, -181, GeoErrorCode.LONGITUDE_OUT_OF_RANGE],
  ])('refuses (%p, %p) with %s', (lat, lng, code) => {
    const r = GeoPoint.create(lat, lng);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('refuses non-number input at runtime', () => {
    const r = GeoPoint.create('1' as unknown as number, 2);
    expect(r.ok ? 'ok' : r.error.code).toBe(GeoErrorCode.NOT_FINITE);
  });

  it('compares by value', () => {
    expect(point(1, 2).equals(point(1, 2))).toBe(true);
    expect(point(1, 2).equals(point(2, 1))).toBe(false);
  });
});

describe('haversineKm', () => {
  it('uses the mean Earth radius', () => {
    expect(EARTH_RADIUS_KM).toBe(6371.0088);
  });

  // Reference values from the spherical Vincenty formula with the same radius.
  it.each([
    ['São Paulo - Rio de Janeiro', SAO_PAULO, RIO, 360.749323197],
    ['São Paulo - Brasília', SAO_PAULO, BRASILIA, 872.341041333],
    ['São Paulo - Manaus', SAO_PAULO, MANAUS, 2689.468725685],
    ['São Paulo - Lisbon', SAO_PAULO, LISBON, 7949.045700983],
  ])('%s', (_name, a, b, expectedKm) => {
    expect(haversineKm(a, b)).toBeCloseTo(expectedKm, 6);
  });

  it('one degree of longitude on the equator is 2πR/360', () => {
    expect(haversineKm(point(0, 0), point(0, 1))).toBeCloseTo((2 * Math.PI * EARTH_RADIUS_KM) / 360, 9);
  });

  it('antipodal points are half the circumference apart', () => {
    expect(haversineKm(point(0, 0), point(0, 180))).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(haversineKm(point(90, 0), point(-90, 0))).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });

  it('crosses the antimeridian along the short way', () => {
    expect(haversineKm(point(0, 179.5), point(0, -179.5))).toBeCloseTo((2 * Math.PI * EARTH_RADIUS_KM) / 360, 6);
  });

  const anyPoint = fc
    .record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, noNaN: true }),
    })
    .map(({ lat, lng }) => point(lat, lng));

  it('property: symmetric, non-negative, zero to itself, bounded by half the circumference', () => {
    fc.assert(
      fc.property(anyPoint, anyPoint, (a, b) => {
        const d = haversineKm(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.PI * EARTH_RADIUS_KM + 1e-9);
        expect(Math.abs(d - haversineKm(b, a))).toBeLessThanOrEqual(1e-9);
        expect(haversineKm(a, a)).toBe(0);
      }),
    );
  });

  it('property: triangle inequality within a small tolerance', () => {
    // Haversine loses precision for nearly antipodal points (about 1e-4 km at worst),
    // so the tolerance is one metre.
    fc.assert(
      fc.property(anyPoint, anyPoint, anyPoint, (a, b, c) => {
        expect(haversineKm(a, c)).toBeLessThanOrEqual(haversineKm(a, b) + haversineKm(b, c) + 1e-3);
      }),
    );
  });
});

describe('isInsideBrazil', () => {
  it('documents the bounding box', () => {
    expect(BRAZIL_BOUNDING_BOX).toEqual({ minLat: -33.75, maxLat: 5.27, minLng: -73.99, maxLng: -34.79 });
  });

  it.each([
    ['São Paulo', SAO_PAULO, true],
    ['Manaus', MANAUS, true],
    ['Lisbon', LISBON, false],
    ['swapped lat/lng of São Paulo', point(-46.6333, -23.5505), false],
    ['south-west corner', point(-33.75, -73.99), true],
    ['north-east corner', point(5.27, -34.79), true],
    ['just south', point(-33.7501, -50), false],
    ['just north', point(5.2701, -50), false],
    ['just west', point(-10, -73.9901), false],
    ['just east', point(-10, -34.7899), false],
  ])('%s -> %p', (_name, p, expected) => {
    expect(isInsideBrazil(p)).toBe(expected);
  });
});

describe('centroid', () => {
  it('averages latitudes and longitudes', () => {
    const c = centroid([point(-23, -46), point(-24, -47), point(-22, -45)]);
    expect(c.lat).toBeCloseTo(-23, 12);
    expect(c.lng).toBeCloseTo(-46, 12);
  });

  it('of one point is that point', () => {
    expect(centroid([RIO]).equals(RIO)).toBe(true);
  });

  it('throws for no points', () => {
    expect(() => centroid([])).toThrow(RangeError);
  });

  it('property: lies within the bounding box of its points', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .record({
              lat: fc.double({ min: -90, max: 90, noNaN: true }),
              lng: fc.double({ min: -180, max: 180, noNaN: true }),
            })
            .map(({ lat, lng }) => point(lat, lng)),
          { minLength: 1, maxLength: 30 },
        ),
        (points) => {
          const c = centroid(points);
          const lats = points.map((p) => p.lat);
          const lngs = points.map((p) => p.lng);
          const slack = 1e-9;
          expect(c.lat).toBeGreaterThanOrEqual(Math.min(...lats) - slack);
          expect(c.lat).toBeLessThanOrEqual(Math.max(...lats) + slack);
          expect(c.lng).toBeGreaterThanOrEqual(Math.min(...lngs) - slack);
          expect(c.lng).toBeLessThanOrEqual(Math.max(...lngs) + slack);
        },
      ),
    );
  });
});
