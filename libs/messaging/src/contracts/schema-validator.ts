import type { JsonSchema, JsonSchemaType } from './event-contract';
import { childPath, indexPath } from './json-path';
import { assertSupportedKeywords, deepEqual, isPlainObject, typesOf } from './schema-keywords';

/** RFC 3339 date-time, the profile of ISO-8601 that JSON Schema's `date-time` format means. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Validates `value` against the JSON Schema subset of `JsonSchema` and returns the problems found,
 * each as `<JSON path>: <what is wrong>`, e.g. `$.items[0].price: must match pattern ^-?\d+\.\d{2}$`.
 * An empty array means valid. A schema keyword outside the subset throws, so a schema never
 * silently relies on a check that is not made.
 */
export function validateAgainstSchema(schema: JsonSchema, value: unknown): string[] {
  const problems: string[] = [];
  check(schema, value, '$', problems);
  return problems;
}

/** Schemas whose keywords were checked once; validation runs on every event, the schema never changes. */
const checkedSchemas = new WeakSet<JsonSchema>();
const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
}

function check(schema: JsonSchema, value: unknown, path: string, problems: string[]): void {
  if (!checkedSchemas.has(schema)) {
    assertSupportedKeywords(schema, path);
    checkedSchemas.add(schema);
  }

  if (schema.type !== undefined) {
    const allowed = typesOf(schema.type);
    if (!allowed.some((type) => hasType(value, type))) {
      problems.push(`${path}: must be ${allowed.join(' or ')} (got ${describeType(value)})`);
      return;
    }
  }
  if (schema.const !== undefined && !deepEqual(schema.const, value)) {
    problems.push(`${path}: must equal ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum !== undefined && !schema.enum.some((candidate) => deepEqual(candidate, value))) {
    problems.push(`${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }

  if (typeof value === 'string') checkString(schema, value, path, problems);
  else if (typeof value === 'number') checkNumber(schema, value, path, problems);
  else if (Array.isArray(value)) checkArray(schema, value, path, problems);
  else if (isPlainObject(value)) checkObject(schema, value, path, problems);
}

/** Length in code points; UTF-16 length is exact unless the string holds surrogate pairs. */
function codePoints(value: string): number {
  return /[\uD800-\uDFFF]/.test(value) ? [...value].length : value.length;
}

function checkString(schema: JsonSchema, value: string, path: string, problems: string[]): void {
  if (schema.minLength !== undefined && codePoints(value) < schema.minLength) {
    problems.push(`${path}: must be at least ${schema.minLength} characters long`);
  }
  if (schema.maxLength !== undefined && codePoints(value) > schema.maxLength) {
    problems.push(`${path}: must be at most ${schema.maxLength} characters long`);
  }
  if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) {
    problems.push(`${path}: must match pattern ${schema.pattern}`);
  }
  if (schema.format === 'date-time' && !isDateTime(value)) {
    problems.push(`${path}: must be an ISO-8601 date-time with a time zone, e.g. 2017-10-02T10:56:33Z (got ${JSON.stringify(value)})`);
  }
}

function checkNumber(schema: JsonSchema, value: number, path: string, problems: string[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: must be >= ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: must be <= ${schema.maximum}`);
}

function checkArray(schema: JsonSchema, value: readonly unknown[], path: string, problems: string[]): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    problems.push(`${path}: must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    problems.push(`${path}: must have at most ${schema.maxItems} item${schema.maxItems === 1 ? '' : 's'}`);
  }
  const items = schema.items;
  if (items !== undefined) value.forEach((item, index) => check(items, item, indexPath(path, index), problems));
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string, problems: string[]): void {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) problems.push(`${childPath(path, name)}: is required`);
  }
  for (const [name, propertyValue] of Object.entries(value)) {
    const propertySchema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (propertySchema !== undefined) {
      check(propertySchema, propertyValue, childPath(path, name), problems);
    } else if (schema.additionalProperties === false) {
      problems.push(`${childPath(path, name)}: is not allowed`);
    } else if (typeof schema.additionalProperties === 'object') {
      check(schema.additionalProperties, propertyValue, childPath(path, name), problems);
    }
  }
}

function hasType(value: unknown, type: JsonSchemaType): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : Number.isFinite(value) ? 'number' : String(value);
  return typeof value;
}

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [sign, offsetHour, offsetMinute] = [match[7], Number(match[8] ?? 0), Number(match[9] ?? 0)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    (sign === undefined || (offsetHour <= 23 && offsetMinute <= 59))
  );
}

