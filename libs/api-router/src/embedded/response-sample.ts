/** One upstream response as the router forwarded it, for contract validation. */
export interface ResponseSample {
  version: string;
  method: string;
  /** Request path without the query string. */
  path: string;
  status: number;
  contentType: string;
  /** The parsed JSON body; undefined when `problem` says why it could not be read. */
  body: unknown;
  problem?: 'too-large' | 'invalid-json';
}

export interface ResponseSampling {
  /**
   * Called after the response was sent, outside the request's path: it cannot delay or change
   * what the client receives, and an exception it throws is dropped.
   */
  onSample: (sample: ResponseSample) => void;
  /** Fraction of JSON responses sampled, 0–1 (default 1). */
  rate?: number;
  /** Bodies longer than this are reported with `problem: 'too-large'` (default 64 KiB). */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_SAMPLED_BODY_BYTES = 64 * 1024;
