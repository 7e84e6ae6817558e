import { Random } from './random';

/** Cents as the original files write money: two decimals, e.g. `58.90`, `13.29`, `199.00`. */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${negative ? '-' : ''}${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

/** A shop price near `reais` in cents, ending the way prices usually end (…,90 / …,00 / …,99). */
export function shopPriceCents(random: Random, reais: number): number {
  if (reais < 1) return Math.max(85, Math.round(reais * 100));
  const r = random.next();
  const floor = Math.floor(reais);
  if (r < 0.4) return Math.max(90, (floor - (floor > 10 && random.chance(0.5) ? 1 : 0)) * 100 + 90);
  if (r < 0.7) {
    const whole = reais >= 100 ? Math.round(reais / 10) * 10 - (random.chance(0.5) ? 1 : 0) : Math.round(reais);
    return Math.max(1, whole) * 100;
  }
  if (r < 0.88) return floor * 100 + 99;
  if (r < 0.92) return floor * 100 + 50;
  return floor * 100 + random.int(0, 99);
}
