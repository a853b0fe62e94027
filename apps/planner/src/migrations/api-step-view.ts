import type { PlanRisk } from '@bascule/contracts';
import { plannedStepOf, specStepOf, type MigrationState, type StepState } from '@bascule/orchestration';
import type { ApiStepProgress } from './api-step-progress';

const iso = (date: Date) => date.toISOString();

/** The plan's contract changes of a step: the risks the contract gate wrote (they carry a JSON pointer). */
export function contractChangesOf(state: MigrationState, step: StepState): PlanRisk[] {
  return (plannedStepOf(state, step)?.risks ?? []).filter((risk) => risk.pointer !== undefined);
}

/**
 * An api step for `GET /migrations/:id`: the versions, the contract changes the plan found, and
 * the canary as the api-agent reported it (current shares, each judged step's verdict and reasons).
 */
export function apiStepView(state: MigrationState, step: StepState, progress: ApiStepProgress | undefined) {
  const api = specStepOf(state, step).api;
  if (!api) return null;
  const changes = contractChangesOf(state, step);
  const count = (severity: PlanRisk['severity']) => changes.filter((change) => change.severity === severity).length;
  return {
    service: api.service,
    from: api.from.version,
    to: api.to.version,
    breaking: api.breaking,
    requiresApproval: plannedStepOf(state, step)?.requiresApproval ?? null,
    contract: {
      counts: { error: count('error'), warning: count('warning'), info: count('info') },
      changes: changes.map(({ rule, severity, operation, pointer, message }) => ({ rule, severity, operation: operation ?? null, pointer, message })),
    },
    canary: {
      steps: api.canary.steps,
      interval: api.canary.interval,
      canaryStep: progress?.canaryStep ?? null,
      shares: progress?.shares ?? null,
      judged: (progress?.judged ?? []).map((judgement) => ({ ...judgement, at: iso(judgement.at) })),
      outcome: progress?.outcome ? { ...progress.outcome, at: iso(progress.outcome.at) } : null,
    },
  };
}
