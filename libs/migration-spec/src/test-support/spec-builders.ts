import { parseMigrationSpec, type ParseSpecOptions } from '../parse-migration-spec';
import type { SpecProblem } from '../problems/spec-problem';

export const createItems = { create_table: { name: 'items', columns: [{ name: 'id', type: 'integer', pk: true }] } };

export function specWith(steps: unknown[], extra: Record<string, unknown> = {}) {
  return { name: 'm', target: 'app', phases: [{ name: 'p', steps }], ...extra };
}

export async function problemsOf(input: unknown, options?: ParseSpecOptions): Promise<SpecProblem[]> {
  const result = await parseMigrationSpec(input, options);
  if (result.ok) throw new Error(`expected problems, the spec is valid: ${JSON.stringify(result.spec)}`);
  return result.problems;
}

export const pathsAndCodes = (problems: SpecProblem[]) => problems.map((problem) => [problem.path, problem.code]);
