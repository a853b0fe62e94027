import type { MigrationState, StepState } from '@bascule/orchestration';
import type { ApiStepProgress } from './api-step-progress';
import { apiStepView } from './api-step-view';
import type { MigrationTrace } from './migration-trace';
import type { RecoveryPointView } from './recovery-points-view';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function stepView(state: MigrationState, step: StepState, apiSteps: ReadonlyMap<string, ApiStepProgress>) {
  return {
    id: step.id,
    status: step.status,
    kind: step.kind,
    wave: step.wave,
    dependsOn: step.dependsOn,
    startedAt: iso(step.startedAt),
    finishedAt: iso(step.finishedAt),
    progress: step.progress,
    failure: step.failure,
    approvedBy: step.approvedBy,
    completedAt: iso(step.completedAt),
    compensatedAt: iso(step.compensatedAt),
    ...(step.kind === 'api' ? { api: apiStepView(state, step, apiSteps.get(step.id)) } : {}),
  };
}

/**
 * `GET /migrations/:id` (ARCHITECTURE.md status projection): `{id, name, status, phases: [{name,
 * status, steps}]}` plus timings; an api step also shows its contract changes and canary progress.
 */
export function migrationStatusView(
  state: MigrationState,
  apiSteps: ReadonlyMap<string, ApiStepProgress> = new Map(),
  trace: MigrationTrace | null = null,
  recoveryPoints: readonly RecoveryPointView[] = [],
) {
  return {
    id: state.id,
    name: state.name,
    // The migration's one trace (every service's spans of it), with a Grafana Explore link when BASCULE_GRAFANA_URL is set.
    traceId: trace?.traceId ?? null,
    traceUrl: trace?.grafanaUrl ?? null,
    // Where the target's WAL was at each phase boundary: targets for a point-in-time recovery.
    recoveryPoints,
    target: state.target,
    status: state.status,
    paused: state.paused,
    version: state.version,
    requestedBy: state.requestedBy,
    plannedAt: iso(state.plannedAt),
    startedAt: iso(state.startedAt),
    startedBy: state.startedBy,
    expandedAt: iso(state.expandedAt),
    completeAfter: iso(state.completeAfter),
    completedAt: iso(state.completedAt),
    failure: state.failure ? { ...state.failure, at: iso(state.failure.at) } : null,
    rollback: state.rollback
      ? {
          ...state.rollback,
          receivedAt: iso(state.rollback.receivedAt),
          finishedAt: iso(state.rollback.finishedAt),
          // What a rollback_failed left on the target: the steps whose compensation did not take effect.
          stillInPlace: state.rollback.compensation.map((entry) => entry.stepId).filter((stepId) => !state.rollback?.compensated.includes(stepId)),
        }
      : null,
    rehearsal: state.rehearsal ? { passed: state.rehearsal.passed, at: iso(state.rehearsal.at) } : null,
    monitor: state.spec.monitor ? monitorView(state) : null,
    phases: state.phases.map((phase) => ({
      name: phase.name,
      status: phase.status,
      startedAt: iso(phase.startedAt),
      completedAt: iso(phase.completedAt),
      steps: phase.steps.map((step) => stepView(state, step, apiSteps)),
    })),
  };
}

/** The monitor's decisions with their numbers; the baseline without its raw values (they stay in the events). */
function monitorView(state: MigrationState) {
  const { baseline, lastWindow, failures, regressions } = state.monitor;
  return {
    baseline: baseline
      ? { recordedAt: iso(baseline.recordedAt), metrics: baseline.data.metrics.map(({ values: _values, ...summary }) => summary) }
      : null,
    lastWindow: lastWindow ? { ...lastWindow, at: iso(lastWindow.at) } : null,
    failures: failures.map((failure) => ({ ...failure, at: iso(failure.at) })),
    regressions: regressions.map((regression) => ({ ...regression, at: iso(regression.at) })),
  };
}
