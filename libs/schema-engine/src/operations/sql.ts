import { z } from 'zod';
import { splitSqlScript, type ScriptStatement } from '../format/sql-script';
import { defineOperation, type SqlAction, type ValidationIssue } from './operation';

const Script = z.string().refine((text) => text.trim().length > 0, 'must not be empty').refine((text) => !text.includes('\0'), 'must not contain a NUL byte');

/** pgroll `OpRawSQL`: `down` and `onComplete` exclude each other (pgroll's schema: oneOf). */
export const SqlBody = z
  .strictObject({ up: Script, down: Script.optional(), onComplete: z.boolean().optional() })
  .refine((op) => !(op.onComplete && op.down !== undefined), { message: 'down cannot be combined with onComplete: true', path: ['down'] });
export type SqlBody = z.infer<typeof SqlBody>;

function scriptIssues(script: string, path: string): ValidationIssue[] {
  const statements = splitSqlScript(script);
  if (typeof statements === 'string') return [{ path, code: 'invalid_sql', message: `not valid SQL: ${statements}` }];
  if (statements.length === 0) return [{ path, code: 'invalid_sql', message: 'holds no SQL statement' }];
  return statements
    .filter((statement) => statement.kind === 'TransactionStmt')
    .map(() => ({
      path,
      code: 'transaction_control_not_allowed',
      message: 'BEGIN/COMMIT/ROLLBACK are not allowed: each step already runs in its own transaction',
    }));
}

/**
 * The script as executor actions: consecutive statements that can share a transaction run as one
 * action (atomic, as in pgroll); a statement that cannot run in a transaction block (CREATE
 * INDEX CONCURRENTLY, VACUUM, …) gets an action of its own outside any transaction.
 */
export function scriptActions(script: string, description: string): SqlAction[] {
  const statements = splitSqlScript(script);
  if (typeof statements === 'string') throw new Error(`${description}: ${statements}`);
  if (!statements.some((statement) => statement.outsideTransaction)) return [{ kind: 'sql', sql: script.trim(), description }];
  const actions: SqlAction[] = [];
  let batch: ScriptStatement[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    // The newline before ";" ends a trailing `--` comment the statement text may carry.
    actions.push({ kind: 'sql', sql: batch.map((statement) => statement.sql).join('\n;\n'), description });
    batch = [];
  };
  for (const statement of statements) {
    if (!statement.outsideTransaction) {
      batch.push(statement);
      continue;
    }
    flush();
    actions.push({ kind: 'sql', sql: statement.sql, description, transactional: false });
  }
  flush();
  return actions;
}

/**
 * sql: the author's own SQL. `up` runs at start (or at complete with `onComplete: true`), `down`
 * at rollback. What it changes is unknown until it ran, so the runner re-reads the schema after it
 * (`refreshesModel`), and, like pgroll, it must be alone in its migration unless it runs on
 * complete (`isolated`).
 */
export const sql = defineOperation({
  kind: 'sql',
  schema: SqlBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].sql`;
    return [...scriptIssues(op.up, `${path}.up`), ...(op.down === undefined ? [] : scriptIssues(op.down, `${path}.down`))];
  },
  start: (op, ctx) => ({ actions: op.onComplete ? [] : scriptActions(op.up, 'run sql up'), model: ctx.model }),
  complete: (op) => (op.onComplete ? scriptActions(op.up, 'run sql up (on complete)') : []),
  rollback: (op) => (op.down !== undefined && !op.onComplete ? scriptActions(op.down, 'run sql down') : []),
  isolated: (op) => !op.onComplete,
  refreshesModel: () => true,
});
