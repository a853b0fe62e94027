import { ApiRouterError } from './api-router.error';

/** Raised when the router reports other weights than those just set: something else is changing them. */
export class WeightsNotAppliedError extends ApiRouterError {
  readonly code = 'ROUTER_WEIGHTS_NOT_APPLIED';

  constructor(
    readonly expected: Readonly<Record<string, number>>,
    readonly actual: Readonly<Record<string, number>>,
  ) {
    super(
      `weights read back as ${JSON.stringify(actual)} right after setting ${JSON.stringify(expected)}: another client ` +
        '(an operator, a second migration) is changing this backend; stop it, then set the weights again',
    );
  }
}

export function isWeightsNotAppliedError(error: unknown): error is WeightsNotAppliedError {
  return error instanceof WeightsNotAppliedError;
}
