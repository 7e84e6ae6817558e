export * from './staging/staging-tables';
export * from './persistence/migrations/1764200000000-quality-schema';
export * from './staging/csv-staging.loader';
export * from './staging/load-input.error';
