export * from './rules/rule-catalog';
export * from './load/load.aggregate';
