export * from './order/order.errors';
export * from './order/order-status';
export * from './order/order-line';
export * from './order/order.events';
export * from './order/order.aggregate';
