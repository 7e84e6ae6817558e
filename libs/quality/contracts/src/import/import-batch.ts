import { ID, JSON_SCHEMA_DIALECT } from '../schema-fragments';
import { IMPORT_SUBJECTS } from '../subjects';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, IMPORT_PERSONAL_COLUMNS, type ImportColumn, type ImportFile, type ImportFileName } from './import-files';

const NULLABLE_TEXT = { type: ['string', 'null'] } as const;
const SEALED_TEXT = {
  type: ['string', 'null'],
  description: 'personal data, sealed: pii:v2:<keyId>:<base64url of nonce | tag | ciphertext> (XChaCha20-Poly1305 under OLIST_FEED_KEYS, the column name as associated data; pii:v1: is AES-256-GCM, still accepted); null for an empty cell',
} as const;

/** Most rows one import message carries. */
export const IMPORT_BATCH_MAX_ROWS = 1000;

export interface ImportRowV1<F extends ImportFile> {
  /** Line of the CSV file where the record starts (the header is line 1). */
  line: number;
  /** Every column of the file, as raw text; null for an empty cell. */
  values: { [C in ImportColumn<F>]: string | null };
}

/** One batch of accepted rows of one file of one load. */
export interface ImportBatchV1<F extends ImportFile> {
  loadId: string;
  file: ImportFileName<F>;
  /** 1, 2, … within the file of the load; `<loadId>:<file>:<batch>` is the message id. */
  batch: number;
  rows: ImportRowV1<F>[];
}

/** The contract of `olist.import.<file>.v1`; every file's batch has the same shape, only the columns differ. */
export function importFeedContract<F extends ImportFile>(file: F, description: string, example: ImportBatchV1<F>) {
  const columns: readonly string[] = IMPORT_COLUMNS[file];
  const personal: readonly string[] = (IMPORT_PERSONAL_COLUMNS as Partial<Record<ImportFile, readonly string[]>>)[file] ?? [];
  return {
    context: 'import',
    name: file,
    type: `import.${file}`,
    version: 1,
    subject: IMPORT_SUBJECTS[file],
    compatibility: 'FULL',
    description,
    schema: {
      $schema: JSON_SCHEMA_DIALECT,
      title: `import.${file} v1`,
      type: 'object',
      additionalProperties: false,
      required: ['loadId', 'file', 'batch', 'rows'],
      properties: {
        loadId: ID,
        file: { type: 'string', const: IMPORT_FILE_NAMES[file] },
        batch: { type: 'integer', minimum: 1 },
        rows: {
          type: 'array',
          minItems: 1,
          maxItems: IMPORT_BATCH_MAX_ROWS,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['line', 'values'],
            properties: {
              line: { type: 'integer', minimum: 1, description: 'line of the CSV file where the record starts; the header is line 1' },
              values: {
                type: 'object',
                additionalProperties: false,
                required: columns,
                properties: Object.fromEntries(columns.map((column) => [column, personal.includes(column) ? SEALED_TEXT : NULLABLE_TEXT])),
              },
            },
          },
        },
      },
    },
    example,
  } as const;
}
