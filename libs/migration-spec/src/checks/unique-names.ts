import type { SpecProblem } from '../problems/spec-problem';
import type { RawPhase } from './raw-spec';

/** Phase names are unique; step ids are unique across the whole spec. The duplicate is reported. */
export function uniqueNameProblems(phases: RawPhase[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const phaseNames = new Map<string, number>();
  const stepIds = new Map<string, string>();
  for (const phase of phases) {
    if (phase.name !== undefined) {
      const first = phaseNames.get(phase.name);
      if (first !== undefined) {
        problems.push({ path: `phases[${phase.index}].name`, code: 'duplicate_phase_name', message: `phase "${phase.name}" is already defined at phases[${first}]` });
      } else phaseNames.set(phase.name, phase.index);
    }
    for (const step of phase.steps) {
      if (step.id === undefined) continue;
      const first = stepIds.get(step.id);
      if (first !== undefined) {
        problems.push({ path: `${step.path}.id`, code: 'duplicate_step_id', message: `step id "${step.id}" is already used by ${first}` });
      } else stepIds.set(step.id, step.path);
    }
  }
  return problems;
}
