export * from './persistence/migrations/1764500000000-fulfillment-schema';
export * from './persistence/migrations/1764700000000-fulfillment-sealed-customer-zips';
export * from './persistence/migrations/1764800000000-fulfillment-stale-prefixes';
export * from './persistence/migrations/1764810000000-fulfillment-unsettled-orders';
export * from './persistence/shipment.store';
export * from './messaging/olist-import.acl';
export * from './messaging/fulfillment-import.handler';
export * from './read-model/shipment-queries';
