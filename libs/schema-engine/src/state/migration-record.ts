import type { SchemaModel } from '../model/schema-model';

export type MigrationStatus =
  | 'starting'
  | 'backfilling'
  | 'active'
  | 'completing'
  | 'rolling_back'
  | 'completed'
  | 'rolled_back'
  | 'failed';

/** One row of `<state schema>.migrations`. */
export interface MigrationRecord {
  schema: string;
  name: string;
  versionSchema: string;
  /** Name of the latest completed migration of the schema when this one started. */
  parent: string | null;
  /** That migration's version schema: the old version, dropped when this one completes. */
  previousVersionSchema: string | null;
  /** The file's operations as written. */
  operations: unknown[];
  /** The model each operation saw at start (index = operation index). */
  opModels: SchemaModel[];
  status: MigrationStatus;
  /** How many operations ran all their start actions. */
  startedOps: number;
  /** How many actions of the current complete/rollback ran (resumption after a crash). */
  phaseProgress: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  rolledBackAt: Date | null;
}

export interface BackfillCheckpoint {
  table: string;
  rowsDone: number;
  batches: number;
  /** Text values of the last key processed (keyset), or `[block]` for the ctid fallback. */
  lastKey: string[] | null;
  done: boolean;
}
