import { errorFunction } from 'simple-statistics';

/*
 * Not simple-statistics' cumulativeStdNormalProbability: that is a table rounded to four digits
 * and cut off at z = 3.09, so every p-value beyond it would read 0.001. errorFunction is the
 * Chebyshev fit with a relative error under 1.2e-7, which keeps small p-values meaningful.
 */

/** P(Z > z) for a standard normal Z. */
export function upperTail(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

/** P(Z < z) for a standard normal Z. */
export function lowerTail(z: number): number {
  return upperTail(-z);
}
