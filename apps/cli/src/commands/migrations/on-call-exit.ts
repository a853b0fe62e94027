import { PlannerRequestError } from './planner-client';

/**
 * Exit codes of the on-call commands (`bascule migrations …`, `rollback`, `pause`, `resume`,
 * `complete`), documented in their help and in docs/cli.md. 1 stays commander's (bad usage) and
 * the CLI's last resort (an unexpected failure), so every code a script can act on is its own.
 */
export const ON_CALL_EXIT = {
  ok: 0,
  /** Commander's: an unknown option, a missing argument; also a failure nobody foresaw. */
  usage: 1,
  /** The planner (or, for rollback, the migration's own state) refused: 400, 401, 403, 409. */
  refused: 3,
  /** No migration with that id (404). */
  unknownMigration: 4,
  /** The planner did not answer, or answered 5xx. */
  plannerUnreachable: 5,
  /** NATS could not be reached, or no stream stored the rollback command. */
  busUnreachable: 6,
  /** `watch`: the migration ended rolled_back. */
  watchRolledBack: 10,
  /** `watch`: the migration ended failed (no automatic rollback due) or rollback_failed. */
  watchFailed: 11,
  /** `watch`: the migration is paused and waits for someone to resume it. */
  watchPaused: 12,
  /** `watch --timeout`: time ran out first. */
  watchTimedOut: 13,
} as const;

/** The help text's table of exit codes, one per line. */
export const EXIT_CODES_HELP = `
Exit codes:
  0   done (watch: the migration reached expanded or completed)
  1   bad usage (unknown option, missing argument) or an unexpected failure
  3   refused: by the planner (400, 401, 403, 409: its code and message are printed) or, for
      rollback, by the migration's state (already rolled back, not started, completed)
  4   no migration with that id
  5   the planner did not answer (or answered 5xx) at --planner-url
  6   NATS unreachable at --nats-url, or no stream stored the rollback command (check the bus prefix)
  10  watch: the migration ended rolled_back
  11  watch: the migration ended failed (no automatic rollback due) or rollback_failed
  12  watch: the migration is paused
  13  watch: --timeout elapsed first
`;

/** A failure of an on-call command: a stable `code`, a message saying what to do, and its exit code. */
export class OnCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OnCallError';
  }
}

export function isOnCallError(error: unknown): error is OnCallError {
  return error instanceof OnCallError;
}

/** The planner's `{code, message, details}` error body (its exception filter), when it sent one. */
function plannerErrorBody(text: string): { code?: string; message?: string; details?: unknown } {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === 'object' ? (body as { code?: string; message?: string; details?: unknown }) : {};
  } catch {
    return {};
  }
}

/**
 * What a planner answer means to the person on call, once for every command: `what` names the
 * request in words ("pause migration 0193…"), `id` the migration it was about (null: none).
 */
export function plannerFailure(error: PlannerRequestError, plannerUrl: string, what: string, id: string | null): OnCallError {
  if (error.status === null) {
    return new OnCallError('PLANNER_UNREACHABLE', `the planner at ${plannerUrl} did not answer (${unreachableReason(error)}): is it running? Set --planner-url or BASCULE_PLANNER_URL`, ON_CALL_EXIT.plannerUnreachable, undefined, { cause: error });
  }
  const body = plannerErrorBody(error.body);
  const said = body.message ?? error.body.slice(0, 300);
  if (error.status === 404 && id !== null) {
    return new OnCallError('MIGRATION_NOT_FOUND', `no migration "${id}" on the planner at ${plannerUrl}; \`bascule migrations list\` shows them`, ON_CALL_EXIT.unknownMigration, undefined, { cause: error });
  }
  if (error.status >= 500) {
    return new OnCallError('PLANNER_FAILED', `the planner at ${plannerUrl} failed to ${what} (${error.status}${body.code ? ` ${body.code}` : ''}): ${said}`, ON_CALL_EXIT.plannerUnreachable, body.details, { cause: error });
  }
  return new OnCallError(body.code ?? `HTTP_${error.status}`, `the planner refused to ${what} (${error.status}${body.code ? ` ${body.code}` : ''}): ${said}`, ON_CALL_EXIT.refused, body.details, { cause: error });
}

/** `connect ECONNREFUSED 127.0.0.1:3000` rather than undici's bare "fetch failed". */
function unreachableReason(error: PlannerRequestError): string {
  const cause = (error.cause as { cause?: { code?: string; message?: string }; name?: string } | undefined) ?? {};
  if (cause.name === 'TimeoutError') return 'timed out';
  return cause.cause?.code ?? cause.cause?.message ?? error.body;
}
