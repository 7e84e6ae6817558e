export * from './staging/staging-tables';
export * from './persistence/migrations/1764200000000-quality-schema';
export * from './staging/csv-staging.loader';
export * from './staging/load-input.error';
export * from './feed/raw-feed.publisher';
export * from './feed/raw-feed.sealing';
export * from './load/pg-load-dataset.ports';
export * from './rules/quality-rules';
