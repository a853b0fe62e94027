import { z } from 'zod';
import { InvalidRequestError } from '../../http/planner.errors';

/** Bodies of the action routes; all optional, and an unknown field is a mistake worth reporting. */
export const PauseBody = z.strictObject({ reason: z.string().min(1).max(2000).optional() });
export const RollbackBody = z.strictObject({ reason: z.string().min(1).max(2000).optional() });
export const ApproveBody = z.strictObject({ comment: z.string().min(1).max(2000).optional() });

export const DEFAULT_ROLLBACK_REASON = 'requested through the planner API';

/** Parses an action body (absent = `{}`) or answers 400 with every problem and its path. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const value = body === undefined || body === null || body === '' ? {} : body;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError(
    'the request body is invalid',
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: issue.message })),
  );
}
