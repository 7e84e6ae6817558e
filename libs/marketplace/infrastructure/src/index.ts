export * from './persistence/migrations/1764400000000-marketplace-schema';
export * from './persistence/migrations/1764890000000-marketplace-told-translations';
export * from './persistence/catalog.store';
export * from './messaging/olist-import.acl';
export * from './messaging/marketplace-import.handler';
export * from './read-model/catalog-queries';
