import { Random, WeightedIndex } from '../random';

export const DAY = 86_400;
export const HOUR = 3_600;

// Orders per month of the real data set, September 2016 to October 2018 (the platform's growth,
// the gap at the end of 2016, the Black Friday peak in November 2017, the tail at the cut-off).
const MONTHLY_ORDERS: readonly (readonly [string, number])[] = [
  ['2016-09', 4], ['2016-10', 324], ['2016-11', 0], ['2016-12', 1],
  ['2017-01', 800], ['2017-02', 1780], ['2017-03', 2682], ['2017-04', 2404], ['2017-05', 3700], ['2017-06', 3245],
  ['2017-07', 4026], ['2017-08', 4331], ['2017-09', 4285], ['2017-10', 4631], ['2017-11', 7544], ['2017-12', 5673],
  ['2018-01', 7269], ['2018-02', 6728], ['2018-03', 7211], ['2018-04', 6939], ['2018-05', 6873], ['2018-06', 6167],
  ['2018-07', 6292], ['2018-08', 6512], ['2018-09', 16], ['2018-10', 4],
];

const FIRST_DAY = Date.UTC(2016, 8, 4) / 1000;
const LAST_DAY = Date.UTC(2018, 9, 17) / 1000;
/** Nothing in the data happens after this moment (the extraction date). */
export const DATA_CUTOFF = LAST_DAY + DAY - 1;

// Monday first: fewer orders at the weekend.
const WEEKDAY_FACTOR = [1.0, 1.0, 0.97, 0.93, 0.88, 0.69, 0.74];
// Orders per hour of the day: quiet at night, busy from 10 h to 22 h.
const HOUR_WEIGHTS = [40, 16, 7, 4, 3, 3, 8, 19, 44, 73, 89, 101, 91, 96, 94, 100, 101, 92, 85, 90, 99, 96, 89, 62];

/** Draws purchase moments (epoch seconds, Brazilian wall-clock time written as UTC). */
export class PurchaseCalendar {
  private readonly days: number[] = [];
  private readonly dayIndex: WeightedIndex;
  private readonly hourIndex = new WeightedIndex(HOUR_WEIGHTS);

  constructor() {
    const monthWeight = new Map(MONTHLY_ORDERS);
    const daysInMonth = new Map<string, number>();
    for (let t = FIRST_DAY; t <= LAST_DAY; t += DAY) {
      const key = monthKey(t);
      daysInMonth.set(key, (daysInMonth.get(key) ?? 0) + 1);
    }
    const weights: number[] = [];
    for (let t = FIRST_DAY; t <= LAST_DAY; t += DAY) {
      const key = monthKey(t);
      const weekday = (new Date(t * 1000).getUTCDay() + 6) % 7;
      const blackFriday = t === Date.UTC(2017, 10, 24) / 1000 ? 9 : t === Date.UTC(2017, 10, 25) / 1000 ? 2.5 : 1;
      const w = ((monthWeight.get(key) ?? 0) / (daysInMonth.get(key) ?? 1)) * WEEKDAY_FACTOR[weekday] * blackFriday;
      if (w > 0) {
        this.days.push(t);
        weights.push(w);
      }
    }
    this.dayIndex = new WeightedIndex(weights);
  }

  draw(random: Random): number {
    const day = this.days[this.dayIndex.draw(random)];
    return day + this.hourIndex.draw(random) * HOUR + random.int(0, 3599);
  }
}

export function monthKey(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 7);
}

export function startOfDay(epochSeconds: number): number {
  return epochSeconds - (((epochSeconds % DAY) + DAY) % DAY);
}

/** `YYYY-MM-DD HH:MM:SS`, as every timestamp of the data set. */
export function formatTimestamp(epochSeconds: number): string {
  const iso = new Date(Math.round(epochSeconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
