export * from './migration-plan';
export * from './migration-lifecycle';
export * from './sql-steps';
export * from './verification';
export * from './rollback';
export * from './command-rejection';
export * from './monitor';
export * from './api-steps';
