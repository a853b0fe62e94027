import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest } from '../http/http-types';
import { ForbiddenError, UnauthenticatedError } from '../http/planner.errors';
import { Authenticator } from './authenticator';
import { ACTOR_HEADER, ANONYMOUS, grants, PRINCIPAL, REQUIRED_ROLE, ROLES, type AuthenticatedRequest, type Role } from './roles';

/**
 * Every planner route that reads or changes migrations: 401 without a valid bearer token, 403 when
 * the token's roles lack the route's (see roles.ts). With authentication off (no tokens, no OIDC)
 * everyone passes and the actor is whoever `X-Bascule-User` names: local development only, which
 * is why the services then listen on 127.0.0.1.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!this.authenticator.enabled) {
      request[PRINCIPAL] = { subject: headerActor(request), roles: ROLES, via: 'unauthenticated' };
      return true;
    }
    const authorization = request.headers['authorization'];
    const principal = await this.authenticator.authenticate(Array.isArray(authorization) ? authorization[0] : authorization);
    if (!principal) throw new UnauthenticatedError();
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? 'viewer';
    if (!grants(principal.roles, required)) throw new ForbiddenError(principal.subject, required, principal.roles);
    request[PRINCIPAL] = principal;
    return true;
  }
}

function headerActor(request: HttpRequest): string {
  const value = request.headers[ACTOR_HEADER];
  const actor = (Array.isArray(value) ? value[0] : value)?.trim();
  return actor ? actor.slice(0, 254) : ANONYMOUS;
}
