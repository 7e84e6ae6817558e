export * from './crypto/pii-cipher';
