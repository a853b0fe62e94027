import type { Migration } from '../format/migration';
import type { Action } from '../operations/operation';
import { createVersionSchemaAction } from '../execution/version-schema';
import { planComplete, planRollback } from '../runner/plan-finish';
import type { MigrationNames, StartPlanning } from '../runner/plan-start';
import type { LocatedAction } from '../runner/run-actions';

/** One step of a phase as `bascule schema plan` prints it. */
export interface PlannedStep {
  /** `operations[i].<kind>`, or `version_schema` for the engine's own steps. */
  source: string;
  description: string;
  /** The SQL, or `null` for a backfill (batched UPDATEs the engine generates at run time). */
  sql: string | null;
  transactional: boolean;
}

export interface MigrationPlan {
  migration: string;
  schema: string;
  versionSchema: string;
  previousVersionSchema: string | null;
  start: PlannedStep[];
  complete: PlannedStep[];
  rollback: PlannedStep[];
}

function step(located: LocatedAction): PlannedStep {
  const { location, action } = located;
  return {
    source: location.index === null ? 'version_schema' : `operations[${location.index}].${location.kind}`,
    description: action.description,
    sql: action.kind === 'sql' ? action.sql : null,
    transactional: action.kind === 'sql' ? action.transactional !== false : true,
  };
}

/** The three phases of a migration, in the order the engine runs them (backfills last in start). */
export function describePlan(
  migration: Migration,
  names: MigrationNames,
  planning: StartPlanning,
  previousVersionSchema: string | null,
  securityInvoker: boolean,
): MigrationPlan {
  const located = (action: Action, index: number, kind: string, phase: 'start' | 'backfill'): LocatedAction => ({
    location: { migration: migration.name, phase, index, kind },
    action,
  });
  const sqlSteps = planning.operations.flatMap((operation) =>
    operation.actions.filter((action) => action.kind === 'sql').map((action) => located(action, operation.index, operation.kind, 'start')),
  );
  const backfillSteps = planning.operations.flatMap((operation) =>
    operation.actions
      .filter((action) => action.kind === 'backfill')
      .map((action) => located(action, operation.index, operation.kind, 'backfill')),
  );
  const versionStep: LocatedAction = {
    location: { migration: migration.name, phase: 'version_schema', index: null, kind: null },
    action: createVersionSchemaAction(planning.finalModel, names.versionSchema, securityInvoker),
  };
  const opModels = planning.operations.map((operation) => operation.seen);
  const finish = { migration, names, opModels, previousVersionSchema };
  return {
    migration: migration.name,
    schema: names.schema,
    versionSchema: names.versionSchema,
    previousVersionSchema,
    start: [...sqlSteps, versionStep, ...backfillSteps].map(step),
    complete: planComplete(finish).map(step),
    rollback: planRollback({ ...finish, startedOps: migration.operations.length, partial: false }).map(step),
  };
}
