import type { DependencyFinding } from './step-graph';

/** `executionOrder` was given steps whose dependencies cannot be ordered (validate the spec first). */
export class StepOrderError extends Error {
  readonly code = 'STEP_ORDER_INVALID';

  constructor(readonly findings: DependencyFinding[]) {
    super(
      'the steps cannot be ordered: ' +
        findings
          .map((finding) =>
            finding.kind === 'dependency_cycle' ? `dependency cycle ${finding.cycle.join(' → ')}` : `${finding.kind.replace(/_/g, ' ')} "${finding.dependency}"`,
          )
          .join('; '),
    );
    this.name = 'StepOrderError';
  }
}
