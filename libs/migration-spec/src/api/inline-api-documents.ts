import type { MigrationSpec } from '@bascule/contracts';
import type { ApiStepChecks } from './api-step-checks';

/**
 * Replaces each api step's `openapi` (inline or `file:`) by the checked, self-contained document,
 * so the spec stored in MigrationPlanned carries both contracts and the api-agent reads no file.
 */
export function withApiDocumentsInlined(spec: MigrationSpec, checks: ApiStepChecks): MigrationSpec {
  return {
    ...spec,
    phases: spec.phases.map((phase, phaseIndex) => ({
      ...phase,
      steps: phase.steps.map((step, stepIndex) => {
        const documents = checks.documents.get(`phases[${phaseIndex}].steps[${stepIndex}]`);
        if (!step.api || !documents?.from || !documents.to) return step;
        return {
          ...step,
          api: { ...step.api, from: { ...step.api.from, openapi: documents.from }, to: { ...step.api.to, openapi: documents.to } },
        };
      }),
    })),
  };
}
