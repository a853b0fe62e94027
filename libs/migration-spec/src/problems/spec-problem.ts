/** One thing wrong with a migration spec, located by its path (`phases[1].steps[0].sql.up`). */
export interface SpecProblem {
  /** Where in the spec; `""` for the document itself. */
  path: string;
  /** Stable code, e.g. `unknown_field`, `duplicate_step_id`, `dependency_cycle`, `invalid_yaml`. */
  code: string;
  message: string;
  /** 1-based position in the text, for syntax errors. */
  line?: number;
  column?: number;
  /** The referenced file (`schema.file`, an api step's `openapi: file:` or a `$ref` of it) the problem was found in, relative to baseDir. */
  file?: string;
}

/** Some problems can be found twice (by the contract schema and by a raw-document check). */
export function withoutDuplicates(problems: SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file ?? ''}\0${problem.path}\0${problem.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
