/**
 * Test harness for operation authors (pgroll's test shape). Typical use in an `*.int-spec.ts`:
 *
 *   const db = await createCycleDatabase('alter_column');           // fresh DB; db.drop() in afterAll
 *   await sqlOn(db.url, 'CREATE TABLE reviews (...); INSERT ...');   // or applyMigration(db.url, base)
 *   await runOperationCycle(db.url, migrationOf('m1', [{ alter_column: {...} }]), {
 *     async afterStart(ctx) {                                        // both versions live
 *       const oldV = await ctx.oldVersion();                         // search_path = previous version (or `public`)
 *       const newV = await ctx.newVersion();                         // search_path = ctx.versionSchema
 *       ...write through one, read through the other...
 *     },
 *     async afterRollback(ctx) { ... },                              // the dump already equals the one before start
 *     async afterComplete(ctx) { ... },                              // final shape and data
 *   });
 *
 * `runOperationCycle` runs start → afterStart → rollback → (schema dump must equal the dump before
 * start, version schema gone; else `SchemaNotRestoredError`) → afterRollback → start → complete →
 * afterComplete, through the real engine (state, lock timeouts, backfill, version schemas).
 */
export {
  applyMigration,
  createCycleDatabase,
  migrationOf,
  runOperationCycle,
  SchemaNotRestoredError,
  sqlOn,
  testEngine,
  type CycleContext,
  type CycleHooks,
  type CycleOptions,
} from './operation-cycle';
export { schemaDump } from './schema-dump';
export { withVersion } from './version-client';
export { spawnEngineChild, waitUntilEngineLocksReleased } from './engine-child-process';
