export * from './result';
export * from './money';
export * from './address';
export * from './geolocation';
export * from './date-range';
