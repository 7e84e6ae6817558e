export * from './persistence/migrations/1764600000000-warehouse-schema';
export * from './projection/geolocation.acl';
export * from './projection/warehouse.projector';
export * from './marts/mart-definitions';
export * from './marts/mart.builder';
export * from './marts/mart.refresher';
export * from './read-model/mart-queries';
export * from './persistence/migrations/1764820000000-warehouse-segment-order';
