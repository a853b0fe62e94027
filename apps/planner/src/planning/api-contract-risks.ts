import { tmpdir } from 'node:os';
import { diffContracts, isApiContractError, loadOpenApiDocument, type ContractChange } from '@bascule/api-contract';
import type { MigrationSpec, MigrationStep, PlanRisk } from '@bascule/contracts';
import { InvalidMigrationSpecError } from '@bascule/migration-spec';
import type { StepFindings } from './build-plan';

type ApiStep = NonNullable<MigrationStep['api']>;

/**
 * Parsing inlined every document and refused references to other files, so nothing is read from
 * here: the directory only names the documents in the parser's messages.
 */
const INLINE_DOCUMENTS_DIR = tmpdir();

/** One contract change as a plan risk: the oasdiff rule id and level, the operation, and where it is written. */
export function contractRisk(change: ContractChange, stepPath: string): PlanRisk {
  return {
    rule: change.id,
    severity: change.level,
    message: `${change.operation ?? 'the whole API'}: ${change.message}`,
    path: `${stepPath}.api`,
    ...(change.operation === undefined ? {} : { operation: change.operation }),
    pointer: change.path,
  };
}

async function contractOf(api: ApiStep, side: 'from' | 'to', path: string) {
  const label = `${side} (${api[side].version})`;
  const openapi = api[side].openapi;
  // Never read a file here: the planner's files are not the spec author's (parsing inlines `file:`).
  if (typeof openapi === 'string') {
    throw new InvalidMigrationSpecError([{ path: `${path}.api.${side}.openapi`, code: 'file_refs_unavailable', message: `${label}: "${openapi}" was not inlined when the spec was parsed` }]);
  }
  try {
    return await loadOpenApiDocument(openapi, { baseDir: INLINE_DOCUMENTS_DIR, label });
  } catch (error) {
    // parseMigrationSpec already validated the document; a refusal here is still the spec's, not a 500.
    if (!isApiContractError(error)) throw error;
    throw new InvalidMigrationSpecError([{ path: `${path}.api.${side}.openapi`, code: error.code.toLowerCase(), message: error.message }]);
  }
}

/**
 * Every contract change between each api step's `from` and `to` documents (the stored, inlined
 * ones), as plan risks keyed by step path. Identical documents give none: a framework upgrade that
 * leaves the contract alone plans without a word from the gate.
 */
export async function apiContractFindings(spec: MigrationSpec, now = new Date()): Promise<StepFindings> {
  const findings: StepFindings = new Map();
  for (const [phaseIndex, phase] of spec.phases.entries()) {
    for (const [stepIndex, step] of phase.steps.entries()) {
      if (!step.api) continue;
      const path = `phases[${phaseIndex}].steps[${stepIndex}]`;
      const [from, to] = await Promise.all([contractOf(step.api, 'from', path), contractOf(step.api, 'to', path)]);
      findings.set(path, diffContracts(from, to, { now }).map((change) => contractRisk(change, path)));
    }
  }
  return findings;
}
