import { apiCompare } from 'api-smart-diff';
import type { JsonObject } from '../document/json-node';
import type { StructuralDiff } from './diff-context';

/**
 * api-smart-diff's structural differences between two bundled documents. Its own verdicts
 * (breaking, non-breaking) and descriptions are not used: the rules decide. Some of its
 * classifiers throw on valid schemas (a `required` list in an `allOf` branch); it catches them and
 * prints to console.error, its only console call. The comparison is synchronous, so muting
 * console.error for its duration mutes nothing of anyone else's.
 */
export function structuralDiffs(from: JsonObject, to: JsonObject): StructuralDiff[] {
  const consoleError = console.error;
  console.error = () => undefined;
  try {
    // api-smart-diff transforms what it is given; the contracts stay as loaded.
    const { diffs } = apiCompare(structuredClone(from), structuredClone(to), { annotateHook: () => '' });
    return diffs as StructuralDiff[];
  } finally {
    console.error = consoleError;
  }
}
