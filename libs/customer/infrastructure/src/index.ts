export * from './crypto/pii-cipher';
export * from './persistence/migrations/1764500000000-customer-schema';
export * from './persistence/customer.store';
export * from './messaging/customer-import.acl';
export * from './messaging/customer-import.handler';
export * from './read-model/customer-queries';
