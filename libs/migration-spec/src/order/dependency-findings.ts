import { samePhaseDependencies, stepLocations, type DependencyFinding, type PhaseRef, type StepLocation } from './step-graph';

function referenceFindings(phases: readonly PhaseRef[], locations: Map<string, StepLocation>): DependencyFinding[] {
  const findings: DependencyFinding[] = [];
  phases.forEach((phase, phaseIndex) =>
    phase.steps.forEach((step, stepIndex) => {
      const seen = new Set<string>();
      (step.dependsOn ?? []).forEach((dependency, dependencyIndex) => {
        const where = { phaseIndex, stepIndex, dependencyIndex, dependency };
        const target = locations.get(dependency);
        if (seen.has(dependency)) findings.push({ kind: 'duplicate_dependency', ...where });
        else if (!target) findings.push({ kind: 'unknown_dependency', ...where });
        else if (target.phaseIndex > phaseIndex) findings.push({ kind: 'dependency_in_later_phase', ...where, dependencyPhase: target });
        seen.add(dependency);
      });
    }),
  );
  return findings;
}

/**
 * Cycles among the steps of one phase (dependencies on earlier phases only point backwards, so
 * they cannot close a cycle). Depth-first search: an edge back to a step still on the stack closes
 * a cycle; each distinct set of steps is reported once, starting at its first step in spec order.
 */
function phaseCycles(phase: PhaseRef, phaseIndex: number, locations: Map<string, StepLocation>): DependencyFinding[] {
  const order = new Map(phase.steps.map((step, index) => [step.id, index]));
  const edges = new Map(phase.steps.map((step) => [step.id, samePhaseDependencies(step, phaseIndex, locations)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const findings: DependencyFinding[] = [];

  const report = (members: string[]): void => {
    const key = [...members].sort().join('\0');
    if (reported.has(key)) return;
    reported.add(key);
    const first = members.reduce((a, b) => ((order.get(a) ?? 0) <= (order.get(b) ?? 0) ? a : b));
    const start = members.indexOf(first);
    const rotated = [...members.slice(start), ...members.slice(0, start)];
    findings.push({ kind: 'dependency_cycle', phaseIndex, stepIndex: order.get(first) ?? 0, cycle: [...rotated, first] });
  };

  // Iterative, so a hostile spec with a very long chain cannot overflow the call stack.
  const visit = (root: string): void => {
    const cursor: number[] = [];
    const push = (id: string) => {
      state.set(id, 'open');
      stack.push(id);
      cursor.push(0);
    };
    push(root);
    while (stack.length > 0) {
      const id = stack[stack.length - 1];
      const next = (edges.get(id) ?? [])[cursor[cursor.length - 1]++];
      if (next === undefined) {
        stack.pop();
        cursor.pop();
        state.set(id, 'done');
      } else if (state.get(next) === 'open') {
        report(stack.slice(stack.indexOf(next)));
      } else if (!state.has(next)) {
        push(next);
      }
    }
  };

  for (const step of phase.steps) if (!state.has(step.id)) visit(step.id);
  return findings;
}

/** Everything wrong with the `dependsOn` lists of a spec: bad references, then cycles. */
export function dependencyFindings(phases: readonly PhaseRef[]): DependencyFinding[] {
  const locations = stepLocations(phases);
  return [...referenceFindings(phases, locations), ...phases.flatMap((phase, index) => phaseCycles(phase, index, locations))];
}
