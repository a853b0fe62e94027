import { stepPath } from '../problems/spec-path';

/**
 * A tolerant view of the decoded document, for the checks that must run even when the contract
 * schema already failed somewhere else (every problem is reported at once, not the first batch).
 */
export interface RawStep {
  phaseIndex: number;
  stepIndex: number;
  path: string;
  /** The step object as written. */
  fields: Record<string, unknown>;
  id: string | undefined;
  dependsOn: string[];
}

export interface RawPhase {
  index: number;
  name: string | undefined;
  steps: RawStep[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A malformed list is the contract check's to report; here it orders nothing (indexes stay true). */
function stringsOrNothing(value: unknown): string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? value : [];
}

export function rawPhasesOf(document: unknown): RawPhase[] {
  if (!isRecord(document) || !Array.isArray(document.phases)) return [];
  return document.phases.map((phase, phaseIndex) => {
    const steps = isRecord(phase) && Array.isArray(phase.steps) ? phase.steps : [];
    return {
      index: phaseIndex,
      name: isRecord(phase) ? asString(phase.name) : undefined,
      steps: steps.flatMap((step, stepIndex): RawStep[] =>
        isRecord(step)
          ? [
              {
                phaseIndex,
                stepIndex,
                path: stepPath(phaseIndex, stepIndex),
                fields: step,
                id: asString(step.id),
                dependsOn: stringsOrNothing(step.dependsOn),
              },
            ]
          : [],
      ),
    };
  });
}
