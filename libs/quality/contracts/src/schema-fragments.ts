export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const ID = { type: 'string', minLength: 1 } as const;

export const COUNT = { type: 'integer', minimum: 0 } as const;
