export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const ID = { type: 'string', minLength: 1 } as const;

export const DATE_TIME = { type: 'string', format: 'date-time' } as const;

export const NULLABLE_DATE_TIME = { type: ['string', 'null'], format: 'date-time' } as const;

export const DISTANCE_KM = {
  type: ['number', 'null'],
  minimum: 0,
  description: 'Great-circle distance seller → customer between zip-prefix centroids; null when a centroid is unknown',
} as const;

export type BrazilianStateV1 =
  | 'AC' | 'AL' | 'AP' | 'AM' | 'BA' | 'CE' | 'DF' | 'ES' | 'GO' | 'MA' | 'MT' | 'MS' | 'MG' | 'PA'
  | 'PB' | 'PR' | 'PE' | 'PI' | 'RJ' | 'RN' | 'RS' | 'RO' | 'RR' | 'SC' | 'SP' | 'SE' | 'TO';

/** The 27 federative units (UF codes). */
export const BRAZILIAN_STATES_V1: readonly BrazilianStateV1[] = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
  'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
];

export const STATE = { type: 'string', enum: BRAZILIAN_STATES_V1 } as const;
