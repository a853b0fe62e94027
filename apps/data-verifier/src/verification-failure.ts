/** What a `VerificationErrored` event says about an error that prevented a verdict. */
export function verificationFailureOf(error: unknown): { code: string; message: string } {
  const coded = error as { code?: unknown };
  const code = typeof coded?.code === 'string' ? coded.code : 'UNEXPECTED_ERROR';
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/** The `against` baseline is not in the migration's stream: nothing to compare with. */
export class BaselineNotFoundError extends Error {
  readonly code = 'BASELINE_NOT_FOUND';
  constructor(readonly label: string, detail = '') {
    super(`no BaselineTaken labelled "${label}" in the migration's stream${detail}: take the baseline before comparing`);
    this.name = 'BaselineNotFoundError';
  }
}
