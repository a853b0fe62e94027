import type { JsonObject } from '@bascule/api-contract';
import { isRecord, type RawPhase, type RawStep } from '../checks/raw-spec';
import type { SpecProblem } from '../problems/spec-problem';
import { checkOpenApiDocument } from './check-openapi-document';

export const API_SIDES = ['from', 'to'] as const;
export type ApiSide = (typeof API_SIDES)[number];

export interface ApiStepChecks {
  problems: SpecProblem[];
  /** Each api step's checked documents, self-contained, by step path (`phases[0].steps[1]`), to inline into the parsed spec. */
  documents: Map<string, Partial<Record<ApiSide, JsonObject>>>;
}

/** `to (v2)`: how the api-contract library names a document in its messages. */
function labelOf(side: ApiSide, version: Record<string, unknown>): string {
  return typeof version.version === 'string' ? `${side} (${version.version})` : side;
}

async function checkSides(step: RawStep, body: Record<string, unknown>, baseDir: string | undefined, checks: ApiStepChecks): Promise<void> {
  const documents: Partial<Record<ApiSide, JsonObject>> = {};
  for (const side of API_SIDES) {
    const version = body[side];
    if (!isRecord(version)) continue;
    const path = `${step.path}.api.${side}.openapi`;
    const checked = await checkOpenApiDocument(version.openapi, labelOf(side, version), baseDir);
    if (checked === null) continue;
    if (checked.ok) documents[side] = checked.document;
    else checks.problems.push(...checked.problems.map((problem) => ({ path, ...problem })));
  }
  checks.documents.set(step.path, documents);
}

/**
 * One api step per service in a spec: two would drive the same router's shares for that service
 * at once, and a rollback would restore whichever `from` ran last. Moving v1 → v3 is one step (or
 * two migrations). The later step is reported.
 */
function duplicateServiceProblems(steps: RawStep[]): SpecProblem[] {
  const first = new Map<string, RawStep>();
  const problems: SpecProblem[] = [];
  for (const step of steps) {
    const service = isRecord(step.fields.api) ? step.fields.api.service : undefined;
    if (typeof service !== 'string') continue;
    const earlier = first.get(service);
    if (!earlier) {
      first.set(service, step);
      continue;
    }
    problems.push({
      path: `${step.path}.api.service`,
      code: 'duplicate_api_service',
      message: `service "${service}" is already moved by step "${earlier.id ?? '?'}" (${earlier.path}): one api step per service and spec; go from the running version to the last one in one step, or use two migrations`,
    });
  }
  return problems;
}

/** Reads and validates both OpenAPI documents of every api step (inline or `file:`); one step per service. */
export async function apiStepChecks(phases: RawPhase[], baseDir: string | undefined): Promise<ApiStepChecks> {
  const checks: ApiStepChecks = { problems: [], documents: new Map() };
  const apiSteps = phases.flatMap((phase) => phase.steps).filter((step) => isRecord(step.fields.api));
  for (const step of apiSteps) {
    const body = step.fields.api;
    if (isRecord(body)) await checkSides(step, body, baseDir, checks);
  }
  checks.problems.push(...duplicateServiceProblems(apiSteps));
  return checks;
}
