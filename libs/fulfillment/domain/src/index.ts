export * from './shipment/shipment';
