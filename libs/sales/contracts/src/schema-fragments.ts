export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const ID = { type: 'string', minLength: 1 } as const;

/** BRL amount as a decimal string with exactly two decimals; never a float. */
export const MONEY = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$' } as const;

export const DATE_TIME = { type: 'string', format: 'date-time' } as const;

export const NULLABLE_DATE_TIME = { type: ['string', 'null'], format: 'date-time' } as const;
