export * from './envelope';
export * from './message-definition';
export * from './schema-steps';
export * from './message-dead-lettered';
export * from './migration-spec';
export * from './orchestration';
export * from './command-catalog';
export * from './monitor-spec';
export { percentToFraction, MAX_PERCENT } from './spec-values';
