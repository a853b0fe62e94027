import { SetMetadata } from '@nestjs/common';
import type { HttpRequest } from '../http/http-types';

/** ARCHITECTURE.md "Configuration" (contract): the roles a REST caller may hold. */
export const ROLES = ['viewer', 'operator', 'approver', 'oncall'] as const;
export type Role = (typeof ROLES)[number];

export const REQUIRED_ROLE = 'bascule:required-role';

/**
 * The role a route needs. `viewer` (the GET routes) is satisfied by any role: whoever may act on
 * migrations may also see them. The others are needed by name: `operator` plans, starts, pauses,
 * resumes, completes and rehearses; `approver` approves; `oncall` rolls back.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

export function grants(held: readonly Role[], required: Role): boolean {
  return required === 'viewer' ? held.length > 0 : held.includes(required);
}

/** Who made a request: a token's subject and roles, or, with authentication off, whoever the header names. */
export interface Principal {
  subject: string;
  roles: readonly Role[];
  /** How the caller was identified: a static token, a verified JWT, or nothing (authentication off). */
  via: 'token' | 'jwt' | 'unauthenticated';
}

/** The header that names the actor while authentication is off (ARCHITECTURE.md), and its default. */
export const ACTOR_HEADER = 'x-bascule-user';
export const ANONYMOUS = 'anonymous';

/** Where AuthGuard leaves the principal on the request, for the Actor decorator. */
export const PRINCIPAL = Symbol('bascule.principal');
export type AuthenticatedRequest = HttpRequest & { [PRINCIPAL]?: Principal };
