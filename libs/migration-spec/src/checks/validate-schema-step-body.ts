import { InvalidMigrationError, parseMigration, type ValidationIssue } from '@bascule/schema-engine';
import { joinPath } from '../problems/spec-path';
import type { SpecProblem } from '../problems/spec-problem';

/**
 * Schema-engine issues (`operations[2].alter_column.up`) as spec problems under a step
 * (`phases[1].steps[0].schema.operations[2].alter_column.up`). The planner uses it too, for the
 * issues the engine finds when it validates against the introspected target.
 */
export function schemaStepProblems(schemaPath: string, issues: readonly ValidationIssue[], file?: string): SpecProblem[] {
  return issues.map((issue) => ({
    path: joinPath(schemaPath, issue.path),
    code: issue.code,
    message: issue.message,
    ...(file === undefined ? {} : { file }),
  }));
}

/**
 * Deep format check of a schema step's pgroll migration by the schema engine (the same parser the
 * schema agent runs), named after the step id as ARCHITECTURE.md says. `migration` is the inline
 * `{version_schema?, operations}` or a referenced file's content. Needs `loadSqlParser()` first.
 */
export function validateSchemaStepBody(migration: unknown, stepId: string, schemaPath: string, file?: string): SpecProblem[] {
  try {
    parseMigration(migration, stepId);
    return [];
  } catch (error) {
    if (error instanceof InvalidMigrationError) {
      // The step id is the migration's name; its own problems are reported at `id` already.
      return schemaStepProblems(schemaPath, error.issues.filter((issue) => issue.path !== 'name'), file);
    }
    throw error;
  }
}
