import { ApiRouterError } from './api-router.error';

/**
 * Raised by `drainSamples` on a router that records no per-request samples (HAProxy without a log
 * receiver): an empty window would read as "no traffic" and the judge would wait forever.
 */
export class SamplesUnavailableError extends ApiRouterError {
  readonly code = 'ROUTER_SAMPLES_UNAVAILABLE';

  constructor(readonly remedy: string) {
    super(`this router records no per-request samples: ${remedy}`);
  }
}

export function isSamplesUnavailableError(error: unknown): error is SamplesUnavailableError {
  return error instanceof SamplesUnavailableError;
}
