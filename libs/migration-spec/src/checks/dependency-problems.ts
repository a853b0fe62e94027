import { dependencyFindings } from '../order/dependency-findings';
import type { DependencyFinding } from '../order/step-graph';
import { stepPath } from '../problems/spec-path';
import type { SpecProblem } from '../problems/spec-problem';
import type { RawPhase } from './raw-spec';

function problemOf(finding: DependencyFinding, phases: RawPhase[]): SpecProblem {
  const at = stepPath(finding.phaseIndex, finding.stepIndex);
  switch (finding.kind) {
    case 'unknown_dependency':
      return { path: `${at}.dependsOn[${finding.dependencyIndex}]`, code: finding.kind, message: `no step "${finding.dependency}" in this spec` };
    case 'duplicate_dependency':
      return { path: `${at}.dependsOn[${finding.dependencyIndex}]`, code: finding.kind, message: `"${finding.dependency}" is listed twice` };
    case 'dependency_in_later_phase': {
      const later = phases[finding.dependencyPhase.phaseIndex];
      return {
        path: `${at}.dependsOn[${finding.dependencyIndex}]`,
        code: finding.kind,
        message:
          `step "${finding.dependency}" is in the later phase "${later?.name ?? finding.dependencyPhase.phaseIndex}" ` +
          `(phases[${finding.dependencyPhase.phaseIndex}]); a step may depend only on steps of its own phase or an earlier one`,
      };
    }
    case 'dependency_cycle':
      return { path: `${at}.dependsOn`, code: finding.kind, message: `dependency cycle: ${finding.cycle.join(' → ')}` };
  }
}

export function dependencyProblems(phases: RawPhase[]): SpecProblem[] {
  const refs = phases.map((phase) => ({
    name: phase.name ?? '',
    steps: phase.steps.filter((step) => step.id !== undefined).map((step) => ({ id: step.id as string, dependsOn: step.dependsOn })),
  }));
  // Indexes in `refs` skip steps without an id; map them back to the document's indexes.
  const documentIndex = phases.map((phase) => phase.steps.filter((step) => step.id !== undefined).map((step) => step.stepIndex));
  return dependencyFindings(refs).map((finding) => {
    const located = { ...finding, stepIndex: documentIndex[finding.phaseIndex][finding.stepIndex] };
    if (located.kind === 'dependency_in_later_phase') {
      located.dependencyPhase = { ...located.dependencyPhase, stepIndex: documentIndex[located.dependencyPhase.phaseIndex][located.dependencyPhase.stepIndex] };
    }
    return problemOf(located, phases);
  });
}
