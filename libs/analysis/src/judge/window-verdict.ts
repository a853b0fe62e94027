import type { WindowJudgement } from '../judgement';
import type { BoundCheck } from './absolute-bounds';
import { formatPValue } from './describe-numbers';

/** What the relative rule (threshold AND one-sided test) found in one window. */
export interface RelativeFinding {
  /** Both sides had minSamples, so the test ran. */
  judged: boolean;
  fails: boolean;
  clause: string;
}

export interface ComparisonText {
  /** "median 12.4 ms vs baseline 8.1 ms"; null when a side has no samples at all */
  values: string | null;
  /** "53 % worse" */
  change: string;
  /** "20 %" */
  threshold: string;
  /** "40 baseline and 40 current samples" */
  counts: string;
}

/**
 * The relative rule: worse than the threshold allows AND significant. A shift beyond the
 * threshold that the test does not confirm says so, because that is the case an operator will
 * question ("53 % worse and it passed?").
 */
export function relativeFinding(text: ComparisonText, exceeds: boolean, pValue: number | null, alpha: number, minSamples: number): RelativeFinding {
  if (pValue === null) {
    const over = text.values === null ? text.counts : `${text.values} over ${text.counts}`;
    return { judged: false, fails: false, clause: `${over}: too few to compare (${minSamples} needed on each side)` };
  }
  const significant = pValue < alpha;
  const unconfirmed = exceeds && !significant ? ` (needs < ${alpha})` : '';
  return {
    judged: true,
    fails: exceeds && significant,
    clause: `${text.values}: ${text.change} (threshold ${text.threshold}), ${formatPValue(pValue)}${unconfirmed} over ${text.counts}`,
  };
}

/**
 * Fail when a bound is broken or the relative rule fails; insufficient when the rule's check
 * could not run (the relative rule below minSamples, or only bounds and nothing to bound); else
 * pass. A bound's clause is told when it is broken or when bounds are all the rule has.
 */
export function decideWindow(
  bound: BoundCheck | null,
  relative: RelativeFinding | null,
  nothingToBound: string,
): Pick<WindowJudgement, 'verdict' | 'reason'> {
  const clauses: string[] = [];
  if (bound && (bound.breached || !relative)) clauses.push(bound.clause);
  if (relative) clauses.push(relative.clause);
  if (!bound && !relative) clauses.push(nothingToBound);
  const judged = relative ? relative.judged : bound !== null;
  const verdict = bound?.breached || relative?.fails ? 'fail' : judged ? 'pass' : 'insufficient';
  return { verdict, reason: clauses.join('; ') };
}
