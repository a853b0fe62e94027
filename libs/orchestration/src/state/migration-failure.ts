import type { MigrationState, StepFailure } from './migration-state';

/** The failure code of a migration stopped by the monitor's analysis (AnalysisFailed, AnalysisStepFailed). */
export const ANALYSIS_FAILED = 'analysis_failed';

export type MigrationFailure = StepFailure & { stepId: string | null };

/** The migration stops. The first failure is kept: it is the cause, and what a rollback's reason names. */
export function failMigration(state: MigrationState, failure: MigrationFailure, at: Date): void {
  state.status = 'failed';
  state.failure ??= { ...failure, at };
}

/**
 * The migration waits for a person (an analysis failed and `rollback.automatic` is off): paused,
 * with the failure saying why. Resuming clears it (fold-migration.ts, MigrationResumed).
 */
export function pauseMigration(state: MigrationState, failure: MigrationFailure, at: Date): void {
  state.paused = true;
  state.status = 'paused';
  state.failure ??= { ...failure, at };
}
