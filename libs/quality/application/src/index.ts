export * from './load-dataset/load-dataset.handler';
