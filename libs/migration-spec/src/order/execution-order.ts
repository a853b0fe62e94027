import { dependencyFindings } from './dependency-findings';
import { samePhaseDependencies, stepLocations, type PhaseRef } from './step-graph';
import { StepOrderError } from './step-order.error';

export interface PhaseWaves {
  phase: string;
  /** Step ids; the steps of one wave may run in parallel, each wave after the previous one. */
  waves: string[][];
}

/**
 * The order the process manager runs steps in: phases in spec order; within a phase, a step's wave
 * is one more than the latest wave of the same-phase steps it depends on (dependencies on earlier
 * phases are already done when the phase starts). Steps keep their spec order inside a wave.
 * Throws `StepOrderError` on a cycle, an unknown step or a dependency on a later phase.
 */
export function executionOrder(spec: { phases: readonly PhaseRef[] }): PhaseWaves[] {
  const findings = dependencyFindings(spec.phases).filter((finding) => finding.kind !== 'duplicate_dependency');
  if (findings.length > 0) throw new StepOrderError(findings);
  const locations = stepLocations(spec.phases);
  return spec.phases.map((phase, phaseIndex) => ({ phase: phase.name, waves: phaseWaves(phase, phaseIndex, locations) }));
}

/** Kahn's algorithm, keeping each step's wave: linear, and no recursion for a hostile long chain. */
function phaseWaves(phase: PhaseRef, phaseIndex: number, locations: ReturnType<typeof stepLocations>): string[][] {
  const waveOf = new Map<string, number>();
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const step of phase.steps) {
    const dependencies = samePhaseDependencies(step, phaseIndex, locations);
    waiting.set(step.id, dependencies.length);
    for (const dependency of dependencies) {
      if (!dependents.has(dependency)) dependents.set(dependency, []);
      dependents.get(dependency)?.push(step.id);
    }
  }
  const ready = phase.steps.filter((step) => waiting.get(step.id) === 0).map((step) => step.id);
  for (const id of ready) waveOf.set(id, 0);
  for (let next = 0; next < ready.length; next += 1) {
    const id = ready[next];
    for (const dependent of dependents.get(id) ?? []) {
      waveOf.set(dependent, Math.max(waveOf.get(dependent) ?? 0, (waveOf.get(id) ?? 0) + 1));
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  const waves: string[][] = [];
  for (const step of phase.steps) (waves[waveOf.get(step.id) ?? 0] ??= []).push(step.id);
  return waves;
}
