import { SchemaEngineError } from '../errors';

/** squawk could not be run, or its output could not be read. Nothing about the SQL is known. */
export class SqlLintFailedError extends SchemaEngineError {
  readonly code = 'SQL_LINT_FAILED';
}
