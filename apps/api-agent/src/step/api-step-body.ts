import { ApiStepBody } from '@bascule/contracts';
import type { MigrationState } from '@bascule/orchestration';
import { InvalidApiStepError } from '../errors';

/**
 * The `api` body of a step of the stored spec, parsed again by its contract: the defaults
 * (canary steps, interval) are filled in and a body that never went through the planner's
 * validation is refused here, before any router is touched.
 */
export function apiStepBodyOf(state: Pick<MigrationState, 'spec'>, stepId: string): ApiStepBody {
  const step = state.spec.phases.flatMap((phase) => phase.steps).find((candidate) => candidate.id === stepId);
  if (!step?.api) throw new InvalidApiStepError(stepId, [step ? 'it has no `api` body' : 'the spec has no such step']);
  const parsed = ApiStepBody.safeParse(step.api);
  if (parsed.success) return parsed.data;
  throw new InvalidApiStepError(
    stepId,
    parsed.error.issues.map((issue) => `${['api', ...issue.path.map(String)].join('.')}: ${issue.message}`),
  );
}

/** Every step of the stored spec with an `api` body, in spec order. */
export function apiStepIdsOf(state: Pick<MigrationState, 'spec'>): string[] {
  return state.spec.phases.flatMap((phase) => phase.steps).filter((step) => step.api !== undefined).map((step) => step.id);
}

/** The canary's shares at `percent` on the new version. */
export function sharesAt(body: Pick<ApiStepBody, 'from' | 'to'>, percent: number): Record<string, number> {
  return { [body.from.version]: 100 - percent, [body.to.version]: percent };
}

/** The fields every api-step fact starts with. The service is read raw: a body that does not parse still names one. */
export function stepFields(state: Pick<MigrationState, 'id' | 'spec'>, stepId: string): { migrationId: string; stepId: string; service: string } {
  const step = state.spec.phases.flatMap((phase) => phase.steps).find((candidate) => candidate.id === stepId);
  const service = step?.api?.service;
  return { migrationId: state.id, stepId, service: typeof service === 'string' ? service : '' };
}
