import { LockTimeoutError, OperationFailedError } from '@bascule/schema-engine';

export interface StepFailure {
  code: string;
  message: string;
  pgCode: string | null;
  operationIndex: number | null;
}

/** Lock timeouts clear once the blocking transaction ends: the command is retried, not recorded as failed. */
export function isTransientFailure(error: unknown): boolean {
  return error instanceof LockTimeoutError;
}

/** What a `SchemaStepFailed` event says about an error. */
export function stepFailureOf(error: unknown): StepFailure {
  const coded = error as { code?: unknown; message?: unknown };
  const code = typeof coded?.code === 'string' ? coded.code : 'UNEXPECTED_ERROR';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof OperationFailedError) {
    return { code, message, pgCode: error.pgCode, operationIndex: error.location.index };
  }
  return { code, message, pgCode: null, operationIndex: null };
}
