export * from './free-port';
export * from './nats-server';
export * from './prometheus-text';
export * from './test-database';
export * from './messaging/messaging-fixture';
export * from './messaging/raw-feed-message';
