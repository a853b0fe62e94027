import { median } from 'simple-statistics';
import type { Direction } from '../judgement';

/**
 * How much worse than the whole baseline its worst window-sized stretch was: how far the metric
 * wandered on its own while nothing had changed yet. Positive = worse, as a fraction of the
 * baseline median; 0 when no stretch was worse.
 *
 * Why: the Mann-Whitney test takes a window's samples as independent draws, but a host's latency
 * moves in spells of seconds (CPU wake-ups, the neighbours' work). A spell that slows a whole
 * window reads as significant, and on a sub-millisecond probe a 20 % threshold is a tenth of a
 * millisecond. A window is only as unusual as the baseline's own windows say it is: the judge
 * raises the threshold to the worst stretch the baseline showed, so a metric whose windows
 * wandered 27 % with nothing changed must get more than 27 % worse to fail. A 20 ms query wanders
 * a few percent and keeps its 20 %.
 *
 * The baseline must be in the order it was sampled. Stretches are consecutive runs of `windowSize`
 * samples (a partial tail is left out); with fewer than two there is nothing to compare and the
 * answer is null, as it is against a zero baseline median.
 */
export function baselineWander(direction: Direction, baseline: readonly number[], windowSize: number): number | null {
  if (windowSize < 1 || baseline.length < 2 * windowSize) return null;
  const whole = median(baseline as number[]);
  if (whole === 0) return null;
  let worst = 0;
  for (let start = 0; start + windowSize <= baseline.length; start += windowSize) {
    const stretch = median(baseline.slice(start, start + windowSize));
    const rise = (stretch - whole) / Math.abs(whole);
    worst = Math.max(worst, direction === 'lower-is-better' ? rise : -rise);
  }
  return worst;
}
