import { BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * A whole-number query parameter within bounds (`limit`, `offset`): absent or blank gives the
 * default; anything else out of bounds or not a whole number is a 400 that names the parameter,
 * what it accepts and what came, never a silent clamp.
 */
export class IntQueryPipe implements PipeTransform<unknown, number> {
  constructor(
    private readonly name: string,
    private readonly bounds: { readonly min: number; readonly max?: number; readonly default: number },
  ) {}

  transform(value: unknown): number {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return this.bounds.default;
    const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
    const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
    const { min, max } = this.bounds;
    if (Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)) return n;
    const accepted = max === undefined ? (min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`) : `an integer from ${min} to ${max}`;
    throw new BadRequestException(`${this.name} must be ${accepted}, got ${typeof value === 'string' ? `"${value}"` : text}`);
  }
}
