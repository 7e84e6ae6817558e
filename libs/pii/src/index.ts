export * from './pii-cipher';
export * from './feed-keys';
export * from './sealed-fields';
