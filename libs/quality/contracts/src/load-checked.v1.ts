import { IMPORT_FILES, type ImportFile } from './import/import-files';
import { COUNT, ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { QUALITY_SUBJECTS } from './subjects';

export type LoadGateV1 = 'passed' | 'failed';

export interface FileCheckV1 {
  /** Data rows read from the file. */
  records: number;
  /** Rows published on the raw feed (including those with warnings). */
  accepted: number;
  /** Rows held back with an error verdict; records = accepted + quarantined. */
  quarantined: number;
  /** Accepted rows with at least one warning. */
  warnings: number;
  /** Quality score of the file, 0 to 100. */
  score: number;
}

export interface LoadCheckedV1 {
  loadId: string;
  gate: LoadGateV1;
  /** True when every file equals the one of the previous load (a re-load changes nothing). */
  unchanged: boolean;
  /** Per file of the load, by feed name (`orders`, `order_items`, …). */
  files: Partial<Record<ImportFile, FileCheckV1>>;
}

const example: LoadCheckedV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  gate: 'passed',
  unchanged: false,
  files: {
    orders: { records: 99441, accepted: 99441, quarantined: 0, warnings: 8, score: 99.99 },
    order_items: { records: 112650, accepted: 112650, quarantined: 0, warnings: 0, score: 100 },
    products: { records: 32951, accepted: 32951, quarantined: 0, warnings: 610, score: 98.15 },
  },
};

const FILE_CHECK = {
  type: 'object',
  additionalProperties: false,
  required: ['records', 'accepted', 'quarantined', 'warnings', 'score'],
  properties: {
    records: COUNT,
    accepted: COUNT,
    quarantined: COUNT,
    warnings: COUNT,
    score: { type: 'number', minimum: 0, maximum: 100 },
  },
} as const;

export const LOAD_CHECKED_V1 = {
  context: 'quality',
  name: 'load-checked',
  type: 'quality.load-checked',
  version: 1,
  subject: QUALITY_SUBJECTS.LOAD_CHECKED_V1,
  compatibility: 'BACKWARD',
  description:
    'A load went through the quality rules: per file, how many rows were accepted (warnings included) and ' +
    'quarantined, and its score; gate is the verdict of the quality gate on the whole load. Business time: the check.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'quality.load-checked v1',
    type: 'object',
    additionalProperties: false,
    required: ['loadId', 'gate', 'unchanged', 'files'],
    properties: {
      loadId: ID,
      gate: { type: 'string', enum: ['passed', 'failed'] },
      unchanged: { type: 'boolean' },
      files: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(IMPORT_FILES.map((file) => [file, FILE_CHECK])),
      },
    },
  },
  example,
} as const;
