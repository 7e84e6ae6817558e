export * from './envelope';
export * from './messaging-tables.migration';
