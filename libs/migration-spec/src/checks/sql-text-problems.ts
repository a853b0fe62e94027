import { parseSync } from 'libpg-query';
import type { SpecProblem } from '../problems/spec-problem';
import { readOnlyQueryProblem } from './read-only-query';
import { isRecord, type RawPhase } from './raw-spec';

type Statements = Array<{ stmt: Record<string, unknown> }>;

function statementsOf(sql: string): Statements | string {
  try {
    return ((parseSync(sql) as { stmts?: Statements }).stmts ?? []) as Statements;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A `sql` step's scripts parse as Postgres SQL and hold no transaction control: the agent runs
 * each script in its own transaction, so a COMMIT inside would make a half-applied step permanent.
 */
function scriptProblem(sql: string): string | null {
  const statements = statementsOf(sql);
  if (typeof statements === 'string') return `is not valid SQL: ${statements}`;
  if (statements.length === 0) return 'holds no SQL statement';
  if (statements.some((statement) => 'TransactionStmt' in statement.stmt)) {
    return 'cannot hold BEGIN, COMMIT, ROLLBACK or SAVEPOINT: the step runs in its own transaction';
  }
  return null;
}

const usable = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && !value.includes('\0');

/** The problem of the SQL text at `path`, if it is text at all (type, emptiness and NUL are the contract check's problems). */
export function sqlProblemAt(path: string, value: unknown, problemOf: (sql: string) => string | null): SpecProblem[] {
  if (!usable(value)) return [];
  const problem = problemOf(value);
  return problem ? [{ path, code: 'invalid_sql', message: `${path.split('.').pop()} ${problem}` }] : [];
}

/** Syntax of every SQL text in `sql` steps and verify invariants. Needs the parser loaded. */
export function sqlTextProblems(phases: RawPhase[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const check = (path: string, value: unknown, problemOf: (sql: string) => string | null) => problems.push(...sqlProblemAt(path, value, problemOf));
  for (const step of phases.flatMap((phase) => phase.steps)) {
    const sql = step.fields.sql;
    if (isRecord(sql)) for (const field of ['up', 'down', 'verify']) check(`${step.path}.sql.${field}`, sql[field], scriptProblem);
    const verify = step.fields.verify;
    if (isRecord(verify) && Array.isArray(verify.invariants)) {
      verify.invariants.forEach((invariant, index) => {
        if (isRecord(invariant)) check(`${step.path}.verify.invariants[${index}].sql`, invariant.sql, readOnlyQueryProblem);
      });
    }
  }
  return problems;
}
