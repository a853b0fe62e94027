/** The least a dependency analysis needs: works on a parsed spec or on a status projection. */
export interface StepRef {
  id: string;
  dependsOn?: readonly string[];
}

export interface PhaseRef {
  name: string;
  steps: readonly StepRef[];
}

export interface StepLocation {
  phaseIndex: number;
  stepIndex: number;
}

export type DependencyFinding =
  | (StepLocation & { kind: 'unknown_dependency'; dependencyIndex: number; dependency: string })
  | (StepLocation & { kind: 'dependency_in_later_phase'; dependencyIndex: number; dependency: string; dependencyPhase: StepLocation })
  | (StepLocation & { kind: 'duplicate_dependency'; dependencyIndex: number; dependency: string })
  /** `cycle` starts and ends with the same id: `['a', 'b', 'a']`. The location is its first step in spec order. */
  | (StepLocation & { kind: 'dependency_cycle'; cycle: string[] });

/** Where each step id is first defined (duplicates are a separate problem). */
export function stepLocations(phases: readonly PhaseRef[]): Map<string, StepLocation> {
  const locations = new Map<string, StepLocation>();
  phases.forEach((phase, phaseIndex) =>
    phase.steps.forEach((step, stepIndex) => {
      if (!locations.has(step.id)) locations.set(step.id, { phaseIndex, stepIndex });
    }),
  );
  return locations;
}

/** Dependencies of a step that sit in its own phase: the only ones that order steps within a phase. */
export function samePhaseDependencies(step: StepRef, phaseIndex: number, locations: Map<string, StepLocation>): string[] {
  return [...new Set(step.dependsOn ?? [])].filter((dependency) => locations.get(dependency)?.phaseIndex === phaseIndex);
}
