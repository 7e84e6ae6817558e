export * from './persistence/migrations/1764300000000-sales-schema';
export * from './persistence/migrations/1764860000000-sales-waiting-lines';
export * from './persistence/migrations/1764880000000-sales-order-update-room';
export * from './persistence/order.store';
export * from './messaging/olist-import.acl';
export * from './messaging/sales-import.handler';
export * from './read-model/order-queries';
