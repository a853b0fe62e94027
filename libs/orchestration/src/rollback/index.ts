export * from './decide-rollback';
export * from './automatic-rollback';
export * from './next-rollback-action';
export * from './rollback-commands';
export * from './rollback-event-ids';
