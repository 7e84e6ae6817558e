import type { CompatibilityMode, JsonSchema, JsonSchemaType, JsonValue } from './event-contract';
import { assertSupportedKeywords, deepEqual, typesOf } from './schema-keywords';

export interface CompatibilityProblem {
  /** Where the change is, e.g. `items[].price`; `(root)` for the payload itself. */
  readonly field: string;
  readonly reason: string;
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly problems: CompatibilityProblem[];
}

/**
 * Whether `next` may replace `previous` under `mode`.
 *
 * Every rule is one question asked of a reader schema and a writer schema: can the reader accept
 * everything the writer may produce? BACKWARD asks it with the new schema reading old data, FORWARD
 * with the old schema reading new data, FULL asks both, NONE asks nothing. So a new required field
 * breaks BACKWARD and a removed required field breaks FORWARD through the same rule, and likewise
 * for enum values, types, constraints and properties closed off by `additionalProperties: false`.
 *
 * An open object (no `additionalProperties: false`) is taken to carry only the properties it
 * declares: adding an optional property to it is compatible both ways.
 */
export function checkCompatibility(previous: JsonSchema, next: JsonSchema, mode: CompatibilityMode): CompatibilityResult {
  const problems: CompatibilityProblem[] = [];
  if (mode === 'BACKWARD' || mode === 'FULL') compare(next, previous, ROOT, 'backward', problems);
  if (mode === 'FORWARD' || mode === 'FULL') compare(previous, next, ROOT, 'forward', problems);
  const unique = problems.filter(
    (problem, index) => problems.findIndex((p) => p.field === problem.field && p.reason === problem.reason) === index,
  );
  return { compatible: unique.length === 0, problems: unique };
}

/** backward: the reader is the new schema and the writer the old one; forward: the other way round. */
type Direction = 'backward' | 'forward';

const ROOT = '';
const LOWER_BOUNDS = ['minimum', 'minLength', 'minItems'] as const;
const UPPER_BOUNDS = ['maximum', 'maxLength', 'maxItems'] as const;

function compare(reader: JsonSchema, writer: JsonSchema, field: string, direction: Direction, problems: CompatibilityProblem[]): void {
  assertSupportedKeywords(reader, fieldName(field));
  assertSupportedKeywords(writer, fieldName(field));
  const report = (reason: string) => problems.push({ field: fieldName(field), reason });
  const [before, after] = direction === 'backward' ? [writer, reader] : [reader, writer];

  compareTypes(reader, writer, direction, before, after, report);
  compareValues(reader, writer, direction, before, after, report);
  compareBounds(reader, writer, direction, before, after, report);
  for (const keyword of ['pattern', 'format'] as const) {
    if (reader[keyword] === undefined || reader[keyword] === writer[keyword]) continue;
    if (before[keyword] === undefined) report(`${keyword} ${after[keyword]} added`);
    else if (after[keyword] === undefined) report(`${keyword} ${before[keyword]} removed`);
    else report(`${keyword} changed from ${before[keyword]} to ${after[keyword]}`);
  }

  if (mayBe(reader, 'object') && mayBe(writer, 'object')) compareObjects(reader, writer, field, direction, problems, report);
  if (mayBe(reader, 'array') && mayBe(writer, 'array')) {
    if (reader.items !== undefined && writer.items !== undefined) {
      compare(reader.items, writer.items, `${field}[]`, direction, problems);
    } else if (reader.items !== undefined) {
      report(direction === 'backward' ? 'items constrained (old arrays may hold anything)' : 'items constraint removed (readers of the old schema expect it)');
    }
  }
}

type Report = (reason: string) => void;

function compareTypes(reader: JsonSchema, writer: JsonSchema, direction: Direction, before: JsonSchema, after: JsonSchema, report: Report): void {
  if (reader.type === undefined) return;
  const readable = typesOf(reader.type);
  const written = writer.type === undefined ? undefined : typesOf(writer.type);
  const unreadable = written === undefined ? ['any type'] : written.filter((type) => !covers(readable, type));
  if (unreadable.length === 0) return;
  const change = `type changed from ${formatType(before.type)} to ${formatType(after.type)}`;
  report(
    direction === 'backward'
      ? `${change}: old data may be ${unreadable.join(' or ')}`
      : `${change}: readers of the old schema cannot read ${unreadable.join(' or ')}`,
  );
}

function compareValues(reader: JsonSchema, writer: JsonSchema, direction: Direction, before: JsonSchema, after: JsonSchema, report: Report): void {
  const readable = allowedValues(reader);
  if (readable === undefined) return;
  const written = allowedValues(writer);
  if (before.const !== undefined && after.const !== undefined) {
    if (!deepEqual(before.const, after.const)) report(`const changed from ${JSON.stringify(before.const)} to ${JSON.stringify(after.const)}`);
    return;
  }
  if (written === undefined) {
    report(
      direction === 'backward'
        ? `values restricted to ${formatValues(readable)} (old data may hold any value)`
        : `restriction to ${formatValues(readable)} removed (readers of the old schema accept only those)`,
    );
    return;
  }
  const unreadable = written.filter((value) => !readable.some((candidate) => deepEqual(candidate, value)));
  if (unreadable.length === 0) return;
  const values = `enum value${unreadable.length === 1 ? '' : 's'} ${formatValues(unreadable)}`;
  report(direction === 'backward' ? `${values} removed (old data may hold ${unreadable.length === 1 ? 'it' : 'them'})` : `${values} added (readers of the old schema reject ${unreadable.length === 1 ? 'it' : 'them'})`);
}

function compareBounds(reader: JsonSchema, writer: JsonSchema, direction: Direction, before: JsonSchema, after: JsonSchema, report: Report): void {
  const verb = direction === 'backward' ? 'tightened' : 'loosened';
  for (const keyword of LOWER_BOUNDS) {
    const [r, w] = [reader[keyword], writer[keyword]];
    if (r !== undefined && (w === undefined || w < r)) report(`${keyword} ${verb} from ${before[keyword] ?? 'none'} to ${after[keyword] ?? 'none'}`);
  }
  for (const keyword of UPPER_BOUNDS) {
    const [r, w] = [reader[keyword], writer[keyword]];
    if (r !== undefined && (w === undefined || w > r)) report(`${keyword} ${verb} from ${before[keyword] ?? 'none'} to ${after[keyword] ?? 'none'}`);
  }
}

function compareObjects(
  reader: JsonSchema,
  writer: JsonSchema,
  field: string,
  direction: Direction,
  problems: CompatibilityProblem[],
  report: Report,
): void {
  const readerProps = reader.properties ?? {};
  const writerProps = writer.properties ?? {};
  const writerRequired = new Set(writer.required ?? []);
  const child = (name: string) => (field === ROOT ? name : `${field}.${name}`);
  const at = (name: string, reason: string) => problems.push({ field: child(name), reason });

  for (const name of reader.required ?? []) {
    if (writerRequired.has(name)) continue;
    const declared = Object.hasOwn(writerProps, name);
    if (direction === 'backward') at(name, declared ? 'became required (old data may lack it)' : 'new required field (old data lacks it)');
    else at(name, declared ? 'became optional (readers of the old schema require it)' : 'required field removed (readers of the old schema require it)');
  }

  for (const [name, writerProp] of Object.entries(writerProps)) {
    const readerProp = Object.hasOwn(readerProps, name) ? readerProps[name] : undefined;
    if (readerProp !== undefined) compare(readerProp, writerProp, child(name), direction, problems);
    else if (reader.additionalProperties === false) {
      at(
        name,
        direction === 'backward'
          ? 'removed while additionalProperties is false (old data carrying it is rejected)'
          : 'added while the old schema has additionalProperties false (readers of the old schema reject it)',
      );
    } else if (typeof reader.additionalProperties === 'object') {
      compare(reader.additionalProperties, writerProp, child(name), direction, problems);
    }
  }

  if (typeof writer.additionalProperties === 'object') {
    for (const [name, readerProp] of Object.entries(readerProps)) {
      if (!Object.hasOwn(writerProps, name)) compare(readerProp, writer.additionalProperties, child(name), direction, problems);
    }
  }

  const [r, w] = [reader.additionalProperties, writer.additionalProperties];
  if (r === false && w !== false) {
    report(
      direction === 'backward'
        ? 'additionalProperties became false (old data may carry undeclared properties)'
        : 'additionalProperties no longer false (readers of the old schema reject undeclared properties)',
    );
  } else if (typeof r === 'object' && typeof w === 'object') {
    compare(r, w, child('*'), direction, problems);
  } else if (typeof r === 'object' && w !== false) {
    report(
      direction === 'backward'
        ? 'additional properties constrained (old data may carry any)'
        : 'constraint on additional properties removed (readers of the old schema expect it)',
    );
  }
}

function allowedValues(schema: JsonSchema): readonly JsonValue[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  return schema.enum;
}

function mayBe(schema: JsonSchema, type: JsonSchemaType): boolean {
  return schema.type === undefined || typesOf(schema.type).includes(type);
}

function covers(readable: readonly JsonSchemaType[], type: JsonSchemaType): boolean {
  return readable.includes(type) || (type === 'integer' && readable.includes('number'));
}

function formatType(type: JsonSchema['type']): string {
  return type === undefined ? 'any' : JSON.stringify(type);
}

function formatValues(values: readonly JsonValue[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function fieldName(field: string): string {
  return field === ROOT ? '(root)' : field;
}
