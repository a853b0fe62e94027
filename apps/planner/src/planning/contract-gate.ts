import type { MigrationSpec, MigrationStep, PlanRisk, StepApprovalRequirement } from '@bascule/contracts';
import type { StepFindings } from './build-plan';

const breaking = (risks: readonly PlanRisk[]) => risks.filter((risk) => risk.severity === 'error');

/**
 * The error-level contract changes of the api steps that say `breaking: block` (the default):
 * any of them refuses the whole plan, so nothing is recorded and no traffic ever moves.
 */
export function blockedContractChanges(spec: MigrationSpec, contract: StepFindings): PlanRisk[] {
  return spec.phases.flatMap((phase, phaseIndex) =>
    phase.steps.flatMap((step, stepIndex) => (step.api?.breaking === 'block' ? breaking(contract.get(`phases[${phaseIndex}].steps[${stepIndex}]`) ?? []) : [])),
  );
}

/**
 * `breaking: approve` with error-level changes: the step is planned, and held before `api.start`
 * until someone other than whoever started the migration approves it. Without such changes there
 * is nothing to approve, and `allow` never waits.
 */
export function contractApproval(step: MigrationStep, contractRisks: readonly PlanRisk[]): StepApprovalRequirement | undefined {
  const errors = breaking(contractRisks);
  if (step.api?.breaking !== 'approve' || errors.length === 0) return undefined;
  const rules = [...new Set(errors.map((risk) => risk.rule))].join(', ');
  return {
    reason: 'breaking_contract',
    message: `${step.api.to.version} of ${step.api.service} breaks clients of ${step.api.from.version} (${errors.length} error-level change${errors.length === 1 ? '' : 's'}: ${rules}): traffic moves only once someone other than whoever started the migration approves`,
  };
}
