import type { TableModel } from '../../model/schema-model';
import type { BackfillCompute, SqlAction } from '../operation';
import { qualified, quoteIdent, quoteLiteral } from '../../sql/identifiers';
import { dollarQuote } from './dollar-quote';
import type { SyncTriggerNames } from './internal-names';

/** A PL/pgSQL variable named after a column as one version sees it, read from the physical row. */
export interface SyncVariable {
  name: string;
  physicalName: string;
}

/** `NEW.<physicalName> := (<expression>)`: one column of the other version, computed. */
export interface SyncAssignment {
  physicalName: string;
  expression: string;
}

/** What to compute for a write made by one side. */
export interface SyncDirection {
  /** The columns the writing version sees, by the names its `up`/`down` expressions use. */
  variables: SyncVariable[];
  assignments: SyncAssignment[];
}

export interface SyncTrigger {
  schema: string;
  /** Physical table. */
  table: string;
  /** Trigger (and function) names per direction (see `syncTriggerNames`). */
  names: SyncTriggerNames;
  /** The new version's schema: sessions whose first schema on the search_path is this one write as "new". */
  versionSchema: string;
  /** Writes from anything but the new version (old version, the physical table, the backfill): apply `up`. */
  fromOld: SyncDirection;
  /** Writes from the new version: apply `down`. */
  fromNew: SyncDirection;
}

type Direction = 'fromOld' | 'fromNew';

function assignmentsSql(trigger: SyncTrigger, direction: SyncDirection): string {
  // Each variable is typed like its physical column and holds the value being written, so the
  // author's expression (`CAST(rating AS integer)`) reads the row by the names of the version
  // that wrote it.
  const declarations = direction.variables.map(
    (variable) =>
      `  ${quoteIdent(variable.name)} ${qualified(trigger.schema, trigger.table)}.${quoteIdent(variable.physicalName)}%TYPE := NEW.${quoteIdent(variable.physicalName)};`,
  );
  const assignments = direction.assignments.map(
    (assignment) => `  NEW.${quoteIdent(assignment.physicalName)} := (\n${assignment.expression}\n  );`,
  );
  return [...(declarations.length > 0 ? ['DECLARE', ...declarations] : []), 'BEGIN', ...assignments, 'END;'].join('\n');
}

/**
 * The function of one direction. The writer is "new" when the first schema its session resolves
 * names in is the new version schema (that is how the new application version connects); every
 * other writer — the old version's schema, the physical table, the backfill's
 * `UPDATE ... SET pk = pk` — is "old". The function recomputes on every INSERT and UPDATE of its
 * writer, so an old-version UPDATE that changes only the old column still refreshes the new one,
 * and NULLs flow through the author's expression like any other value.
 */
export function syncFunctionSql(trigger: SyncTrigger, direction: Direction): string {
  const isNew = `(current_schemas(false))[1] IS NOT DISTINCT FROM ${quoteLiteral(trigger.versionSchema)}`;
  const body = [
    '',
    'BEGIN',
    `  IF ${direction === 'fromNew' ? 'NOT ' : ''}${isNew} THEN`,
    '    RETURN NEW;',
    '  END IF;',
    // A nested block: the variables exist only for the writer they describe.
    assignmentsSql(trigger, trigger[direction]),
    '  RETURN NEW;',
    'END',
    '',
  ].join('\n');
  return `CREATE OR REPLACE FUNCTION ${qualified(trigger.schema, trigger.names[direction])}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(body)}`;
}

function directions(trigger: SyncTrigger): Direction[] {
  return (['fromOld', 'fromNew'] as const).filter((direction) => trigger[direction].assignments.length > 0);
}

/**
 * A backfill batch that computes the new columns itself sets this (SET LOCAL, its own transaction
 * only) to the name of the old→new trigger it stands in for; that trigger's WHEN clause then skips
 * it. The WHEN clause is evaluated without calling PL/pgSQL, so skipping costs next to nothing.
 */
export const BACKFILL_SKIP_SETTING = 'bascule.backfill_skip';

/**
 * When a trigger fires at all. The writer test repeats the function's own, so a write the function
 * would return unchanged never calls PL/pgSQL (for every old-version write: a function call per
 * row saved). The old→new trigger is also skipped by a backfill batch that computes its columns.
 */
function whenClause(trigger: SyncTrigger, direction: Direction): string {
  const isNew = `(current_schemas(false))[1] IS NOT DISTINCT FROM ${quoteLiteral(trigger.versionSchema)}`;
  if (direction === 'fromNew') return `WHEN (${isNew})`;
  const skipped = `current_setting(${quoteLiteral(BACKFILL_SKIP_SETTING)}, true) IS NOT DISTINCT FROM ${quoteLiteral(trigger.names.fromOld)}`;
  // The cheap setting test first: a backfill's rows stop there.
  return `WHEN (NOT ${skipped} AND NOT ${isNew})`;
}

/**
 * The old→new work of `trigger` as plain SQL for the backfill, when the author's `up` expressions
 * mean the same read straight off the physical row of `table` (the model the trigger was planned
 * on): every physical column is one of the trigger's variables under its own name — no rename,
 * no hidden or generated column the trigger would not let them read — and no expression names a
 * column being filled. Otherwise undefined: the backfill fires the trigger.
 */
export function backfillCompute(trigger: SyncTrigger, table: TableModel): BackfillCompute | undefined {
  const { variables, assignments } = trigger.fromOld;
  const readable = new Set(variables.filter((variable) => variable.name === variable.physicalName).map((variable) => variable.name));
  if (assignments.length === 0 || table.columns.some((column) => !readable.has(column.physicalName))) return undefined;
  // A textual check, so it errs towards the trigger: any mention of a column being filled.
  if (assignments.some((assignment) => assignments.some((target) => assignment.expression.includes(target.physicalName)))) return undefined;
  return {
    trigger: trigger.names.fromOld,
    assignments: assignments.map((assignment) => ({ column: assignment.physicalName, expression: assignment.expression })),
  };
}

export function createSyncTriggerActions(trigger: SyncTrigger): SqlAction[] {
  return directions(trigger).flatMap((direction): SqlAction[] => {
    const name = trigger.names[direction];
    return [
      { kind: 'sql', sql: syncFunctionSql(trigger, direction), description: `create sync function ${name} for ${trigger.table}` },
      {
        kind: 'sql',
        // BEFORE ROW: the computed values are part of the row that is checked and stored, so the
        // NOT VALID checks on the new columns see them.
        sql:
          `CREATE OR REPLACE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${qualified(trigger.schema, trigger.table)} ` +
          `FOR EACH ROW ${whenClause(trigger, direction)} EXECUTE FUNCTION ${qualified(trigger.schema, name)}()`,
        description: `create sync trigger ${name} on ${trigger.table}`,
      },
    ];
  });
}

/** Drops what `createSyncTriggerActions` created (IF EXISTS: also after a start that stopped half-way). */
export function dropSyncTriggerActions(trigger: SyncTrigger): SqlAction[] {
  return directions(trigger).flatMap((direction): SqlAction[] => {
    const name = trigger.names[direction];
    return [
      {
        kind: 'sql',
        sql: `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${qualified(trigger.schema, trigger.table)}`,
        description: `drop sync trigger ${name} on ${trigger.table}`,
      },
      { kind: 'sql', sql: `DROP FUNCTION IF EXISTS ${qualified(trigger.schema, name)}()`, description: `drop sync function ${name}` },
    ];
  });
}
