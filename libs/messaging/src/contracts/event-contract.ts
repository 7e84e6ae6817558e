/** JSON Schema types understood by the platform's validator and compatibility checker. */
export type JsonSchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The JSON Schema (draft 2020-12) subset event contracts use. Arrays are readonly so that contracts
 * declared `as const` in the contracts libraries are assignable without casts.
 */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly $comment?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: JsonSchemaType | readonly JsonSchemaType[];
  readonly properties?: { readonly [name: string]: JsonSchema };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly enum?: readonly JsonValue[];
  readonly const?: JsonValue;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
}

/**
 * How a contract version may change once published (checked against its committed snapshot):
 * BACKWARD — readers of the new schema can read data written with the old one;
 * FORWARD — readers of the old schema can read data written with the new one;
 * FULL — both; NONE — no guarantee.
 */
export type CompatibilityMode = 'BACKWARD' | 'FORWARD' | 'FULL' | 'NONE';

export const COMPATIBILITY_MODES: readonly CompatibilityMode[] = ['BACKWARD', 'FORWARD', 'FULL', 'NONE'];

/** One version of one event: its wire names, its payload schema and an example payload. */
export interface EventContract {
  /** Owning context, e.g. `sales`; `import` for the raw feed. */
  readonly context: string;
  /** Event name within the context, e.g. `order-placed`. */
  readonly name: string;
  /** Envelope `type`: `<context>.<name>`. */
  readonly type: string;
  readonly version: number;
  /** Unprefixed NATS subject: `olist.<context>.<name>.v<version>`. */
  readonly subject: string;
  readonly compatibility: CompatibilityMode;
  readonly description: string;
  readonly schema: JsonSchema;
  /** A payload valid against `schema`. */
  readonly example: unknown;
  /** On version N: turns a version N-1 payload into a version N payload. */
  readonly upcastFrom?: (previous: unknown) => unknown;
}
