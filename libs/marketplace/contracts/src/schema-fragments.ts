export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const ID = { type: 'string', minLength: 1 } as const;

/** Codes of source-data exceptions accepted with a warning, e.g. MISSING_CATEGORY. */
export const CODES = { type: 'array', items: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' } } as const;

export type BrazilianStateV1 =
  | 'AC' | 'AL' | 'AP' | 'AM' | 'BA' | 'CE' | 'DF' | 'ES' | 'GO' | 'MA' | 'MT' | 'MS' | 'MG' | 'PA'
  | 'PB' | 'PR' | 'PE' | 'PI' | 'RJ' | 'RN' | 'RS' | 'RO' | 'RR' | 'SC' | 'SP' | 'SE' | 'TO';

/** The 27 federative units (UF codes). */
export const BRAZILIAN_STATES_V1: readonly BrazilianStateV1[] = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
  'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
];
