import { MigrationSpec, STEP_KINDS } from '@bascule/contracts';
import type { z } from 'zod';
import { specPath } from '../problems/spec-path';
import type { SpecProblem } from '../problems/spec-problem';

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `['phases', 0, 'steps', 1]`: an unknown key there is most likely a step kind we do not have. */
function isStepPath(path: ReadonlyArray<PropertyKey>): boolean {
  return path.length === 4 && path[0] === 'phases' && path[2] === 'steps';
}

function unknownKeyProblem(issuePath: ReadonlyArray<PropertyKey>, key: string): SpecProblem {
  const path = specPath([...issuePath, key]);
  if (isStepPath(issuePath)) {
    return {
      path,
      code: 'unknown_step_kind',
      message: `unknown step kind "${key}"; a step has id, dependsOn and exactly one of: ${STEP_KINDS.join(', ')}`,
    };
  }
  return { path, code: 'unknown_field', message: `unknown field "${key}"` };
}

function issueProblems(issue: z.core.$ZodIssue, document: unknown): SpecProblem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKeyProblem(issue.path, key));
  const path = specPath(issue.path);
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return [{ path, code: issue.params.code, message: issue.message }];
  if (issue.code === 'invalid_type' && valueAt(document, issue.path) === undefined) {
    return [{ path, code: 'field_required', message: `required (expected ${issue.expected})` }];
  }
  if (issue.code === 'invalid_type' && path === '') {
    return [{ path, code: 'invalid_document', message: 'a spec is a mapping with name, target and phases' }];
  }
  return [{ path, code: 'invalid_value', message: issue.message }];
}

/**
 * The contract schema's verdict, as problems with spec paths. A step whose only key is unknown
 * (`analysis:`) gets one problem naming the kind, not a second "has no kind".
 */
export function contractProblems(document: unknown): { spec: MigrationSpec | null; problems: SpecProblem[] } {
  const result = MigrationSpec.safeParse(document);
  if (result.success) return { spec: result.data, problems: [] };
  const problems = result.error.issues.flatMap((issue) => issueProblems(issue, document));
  const withUnknownKind = new Set(problems.filter((p) => p.code === 'unknown_step_kind').map((p) => p.path.replace(/\.[^.]+$/, '')));
  return { spec: null, problems: problems.filter((p) => !(p.code === 'missing_step_kind' && withUnknownKind.has(p.path))) };
}
