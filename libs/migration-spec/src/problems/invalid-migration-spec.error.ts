import type { SpecProblem } from './spec-problem';

/**
 * The spec is invalid; nothing was planned or changed. `problems` lists every problem with its
 * path, so the planner can answer `400 {code, message, details: problems}` in one round trip.
 */
export class InvalidMigrationSpecError extends Error {
  readonly code = 'INVALID_MIGRATION_SPEC';

  constructor(readonly problems: SpecProblem[]) {
    super(
      `the migration spec is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
        problems.map((problem) => `${problem.path || '(document)'}: ${problem.message}`).join('; '),
    );
    this.name = 'InvalidMigrationSpecError';
  }
}

export function isInvalidMigrationSpecError(error: unknown): error is InvalidMigrationSpecError {
  return error instanceof InvalidMigrationSpecError;
}
