import { allocate } from './allocation';
import { CsvFileWriter } from './csv-file-writer';
import { QUIRK_RATES, rareCount } from './dataset-size';
import { Geography, ZipArea } from './geography';
import { Random } from './random';

export interface GeolocationCounts {
  duplicateRows: number;
  outsideBrazil: number;
}

type Point = readonly [lat: string, lng: string, city: string];

/**
 * Writes the geolocation file: rows per zip prefix (ascending), points jittered around the
 * prefix's centre, about a quarter exact duplicates of an earlier row of the same prefix, a few
 * points far outside Brazil.
 */
export async function writeGeolocation(
  writer: CsvFileWriter,
  geography: Geography,
  totalRows: number,
  random: Random,
  onRows: (rows: number) => void,
): Promise<GeolocationCounts> {
  const zips = geography.zips;
  const extra = allocate(
    totalRows - zips.length,
    zips.map((z) => z.weight),
  );
  const outliers = new Set(random.sample(totalRows, rareCount(QUIRK_RATES.geolocationOutsideBrazil, totalRows)));
  const duplicateChance = Math.min(0.9, (QUIRK_RATES.duplicateGeolocationRows * totalRows) / Math.max(1, totalRows - zips.length));
  const counts: GeolocationCounts = { duplicateRows: 0, outsideBrazil: 0 };
  let row = 0;
  let reported = 0;
  for (let z = 0; z < zips.length; z++) {
    const area = zips[z];
    const rows = 1 + extra[z];
    const points: Point[] = [];
    for (let r = 0; r < rows; r++, row++) {
      let point: Point;
      if (outliers.has(row)) {
        point = outsidePoint(random, area);
        counts.outsideBrazil++;
      } else if (points.length > 0 && random.chance(duplicateChance)) {
        point = random.pick(points);
        counts.duplicateRows++;
      } else {
        point = newPoint(random, area);
        points.push(point);
      }
      writer.write([area.code, point[0], point[1], point[2], area.state.code]);
    }
    if (writer.pending) {
      await writer.flush();
      onRows(row - reported);
      reported = row;
    }
  }
  onRows(row - reported);
  return counts;
}

function newPoint(random: Random, area: ZipArea): Point {
  const lat = area.lat + area.spread * random.normal();
  const lng = area.lng + area.spread * random.normal();
  const city = area.city.accented && random.chance(0.12) ? area.city.accented : area.city.name;
  // Most coordinates carry full double precision, some were stored with 6 or 7 decimals.
  if (random.chance(0.03)) {
    const digits = random.chance(0.5) ? 6 : 7;
    return [String(Number(lat.toFixed(digits))), String(Number(lng.toFixed(digits))), city];
  }
  return [String(lat), String(lng), city];
}

function outsidePoint(random: Random, area: ZipArea): Point {
  const kind = random.int(0, 2);
  const lat = area.lat + 0.01 * random.normal();
  const lng = area.lng + 0.01 * random.normal();
  // Sign errors put a point in the northern hemisphere or east of Greenwich; some land in Europe.
  if (kind === 0) return [String(Math.max(6, -lat)), String(lng), area.city.name];
  if (kind === 1) return [String(lat), String(-lng), area.city.name];
  return [String(random.uniform(38, 43)), String(random.uniform(-9.4, -7.5)), area.city.name];
}
