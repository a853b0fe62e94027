import { AnalysisError } from './analysis.error';

/**
 * Raised before anything is judged when a rule, an option or a sample cannot be judged honestly
 * (a NaN sample, a negative threshold, more failures than attempts): a verdict over such input
 * would look authoritative and mean nothing.
 */
export class InvalidAnalysisInputError extends AnalysisError {
  readonly code = 'INVALID_ANALYSIS_INPUT';

  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

export function isInvalidAnalysisInputError(error: unknown): error is InvalidAnalysisInputError {
  return error instanceof InvalidAnalysisInputError;
}
