/**
 * @bascule/orchestration — the pure core shared by the planner's process manager and the
 * rollback-manager: a migration's state folded from its events, and the decisions taken from it
 * (which steps are ready, what a rollback must undo and in which order). No I/O here: deciding
 * from events must not touch the world, so a restart or a replay decides the same.
 */
export * from './state/migration-state';
export * from './state/fold-migration';
export * from './state/unknown-migration-stream.error';
export * from './ids/deterministic-id';
export * from './decisions/compensation-for';
export * from './decisions/ready-steps';
export * from './process';
export * from './rollback';
export * from './binding/command-claim';
export * from './binding/bind-command';
export { ANALYSIS_FAILED } from './state/migration-failure';
