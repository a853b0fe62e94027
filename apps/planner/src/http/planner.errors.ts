import type { PlanRisk } from '@bascule/contracts';

/**
 * Errors the REST edge maps to `{code, message, details}` and an HTTP status (planner-error.filter.ts).
 * Messages tell the caller what to do; they never carry a connection string.
 */
export class PlannerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class MigrationNotFoundError extends PlannerError {
  constructor(id: string) {
    super('MIGRATION_NOT_FOUND', `no migration "${id}": list them with GET /migrations`, 404);
  }
}

export class StepNotFoundError extends PlannerError {
  constructor(id: string, stepId: string) {
    super('STEP_NOT_FOUND', `migration "${id}" has no step "${stepId}"`, 404);
  }
}

/** The action is not allowed in the migration's current status (ARCHITECTURE.md statuses). */
export class InvalidStatusError extends PlannerError {
  constructor(action: string, status: string, allowed: readonly string[]) {
    super('INVALID_STATUS', `cannot ${action} a migration that is ${status}; allowed when ${allowed.join(' or ')}`, 409, { status, allowed });
  }
}

export class RehearsalRequiredError extends PlannerError {
  constructor(id: string) {
    super('REHEARSAL_REQUIRED', `migration "${id}" asks for a rehearsal first (rehearse: true): POST /migrations/${id}/rehearse, then start`, 409);
  }
}

export class TargetNotConfiguredError extends PlannerError {
  constructor(target: string, envName: string) {
    super('TARGET_NOT_CONFIGURED', `target "${target}" is not configured: set ${envName} to its Postgres connection URL in the planner's environment`, 400, { target, env: envName });
  }
}

export class NotAnApproverError extends PlannerError {
  constructor(actor: string, approvers: string[]) {
    super('NOT_AN_APPROVER', `"${actor}" may not approve this step (approvers: ${approvers.join(', ')}); sign in with your own token (or, with authentication off, name yourself with the X-Bascule-User header)`, 403, { approvers });
  }
}

export class InvalidRequestError extends PlannerError {
  constructor(message: string, details?: unknown) {
    super('INVALID_REQUEST', message, 400, details);
  }
}

/** No valid bearer token on a route that needs one. */
export class UnauthenticatedError extends PlannerError {
  constructor() {
    super('UNAUTHENTICATED', 'send Authorization: Bearer <token> with a token from BASCULE_TOKENS_FILE or from the OIDC provider', 401);
  }
}

/** A valid token whose roles do not include the one the route needs. */
export class ForbiddenError extends PlannerError {
  constructor(subject: string, required: string, held: readonly string[]) {
    super('FORBIDDEN', `this needs the ${required} role; ${subject} has ${held.join(', ') || 'none'}`, 403, { required, held });
  }
}

/** An irreversible step, or one that breaks an API contract, approved by the person who started the migration. */
export class SelfApprovalError extends PlannerError {
  constructor(stepId: string, actor: string, why = 'is irreversible') {
    super('SELF_APPROVAL', `step "${stepId}" ${why}: it needs an approval from someone other than ${actor}, who started the migration`, 403);
  }
}

/**
 * An api step with `breaking: block` (the default) whose new contract breaks clients of the old
 * one. `details` lists every error-level change as in the plan's risks (rule id, operation, JSON
 * pointer, spec path); nothing was recorded.
 */
export class BreakingContractChangesError extends PlannerError {
  constructor(changes: PlanRisk[]) {
    const listed = changes.map((change) => `${change.path ?? '?'}: ${change.rule} at ${change.operation ?? 'the whole API'} (${change.pointer ?? '?'})`);
    super(
      'BREAKING_CONTRACT_CHANGES',
      `${changes.length} error-level contract change${changes.length === 1 ? '' : 's'} with breaking: block: ${listed.join('; ')}. Keep the old behaviour in the new version, or set breaking: approve (the step waits for an approval) or allow`,
      400,
      changes,
    );
  }
}
