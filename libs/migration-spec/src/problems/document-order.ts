import type { SpecProblem } from './spec-problem';

type Segment = string | number;

function segmentsOf(path: string): Segment[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]));
}

/** Per segment: the key's position in the written object; absent keys after present ones. */
function rankOf(path: string, document: unknown): number[] {
  let value = document;
  return segmentsOf(path).map((segment): number => {
    const parent = value;
    value = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[segment] : undefined;
    if (typeof segment === 'number') return segment;
    const keys = parent !== null && typeof parent === 'object' && !Array.isArray(parent) ? Object.keys(parent) : [];
    const index = keys.indexOf(segment);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  });
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Problems in the order their places appear in the spec, so a reader can fix them top to bottom.
 * The sort is stable: problems at the same place (or at absent fields) keep the order the checks
 * found them in.
 */
export function inDocumentOrder(problems: SpecProblem[], document: unknown): SpecProblem[] {
  const ranked = problems.map((problem) => ({ problem, rank: rankOf(problem.path, document) }));
  return ranked.sort((a, b) => compareRanks(a.rank, b.rank)).map((entry) => entry.problem);
}
