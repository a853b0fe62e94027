import { analysisFailureSummary } from '../state/describe-monitor';
import { ANALYSIS_FAILED } from '../state/migration-failure';
import type { MigrationState } from '../state/migration-state';

/**
 * The reason for an automatic rollback, or null when none is due: the migration failed (a step,
 * a verification, a phase check, an analysis: from running or from expanded), its spec asks for
 * `rollback.automatic`, no rollback was tried yet, and the contract has not begun.
 */
export function automaticRollbackReason(state: MigrationState): string | null {
  if (!state.spec.rollback.automatic) return null;
  if (state.status !== 'failed' || state.rollback !== null || state.completeRequested !== null || state.startedAt === null) return null;
  const failure = state.failure;
  if (!failure) return 'the migration failed';
  if (failure.code === ANALYSIS_FAILED) {
    // The AnalysisFailed that failed the migration (recorded when the failure was) carries the metric and its numbers.
    const analysis = state.monitor.failures.find((candidate) => candidate.at.getTime() === failure.at.getTime() && candidate.stepId === failure.stepId);
    if (analysis) return analysisFailureSummary(analysis);
  }
  return `${failure.stepId ? `step "${failure.stepId}" failed` : 'verification failed'}: [${failure.code}] ${failure.message}`;
}
