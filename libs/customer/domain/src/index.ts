export * from './customer/customer';
export * from './review/review';
export * from './segment/segment';
