/**
 * Splits `total` into integer parts proportional to `weights`, none above its cap (largest
 * remainder). The parts add up to `total` unless the caps together hold less.
 */
export function allocate(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(0);
  const cap = (i: number) => (caps ? caps[i] : Number.POSITIVE_INFINITY);
  let active = weights.map((_, i) => i).filter((i) => weights[i] > 0 && cap(i) > 0);
  let remaining = Math.min(
    total,
    active.reduce((s, i) => s + cap(i), 0),
  );
  while (remaining > 0 && active.length) {
    const sum = active.reduce((s, i) => s + weights[i], 0);
    const shares = active.map((i) => (remaining * weights[i]) / sum);
    const full = active.filter((i, k) => out[i] + shares[k] >= cap(i));
    if (full.length) {
      for (const i of full) {
        remaining -= cap(i) - out[i];
        out[i] = cap(i);
      }
      active = active.filter((i) => out[i] < cap(i));
      continue;
    }
    let given = 0;
    const fractions = active.map((i, k) => {
      const whole = Math.floor(shares[k]);
      out[i] += whole;
      given += whole;
      return { i, fraction: shares[k] - whole };
    });
    fractions.sort((a, b) => b.fraction - a.fraction || a.i - b.i);
    for (let k = 0; k < remaining - given; k++) out[fractions[k % fractions.length].i]++;
    remaining = 0;
  }
  return out;
}
