import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, PRINCIPAL, type AuthenticatedRequest } from '../auth/roles';

/**
 * Who is calling, as AuthGuard established it: the token's subject, or with authentication off the
 * `X-Bascule-User` header (`anonymous` when absent). A header never names the actor of a request
 * that carried a token.
 */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>()[PRINCIPAL]?.subject ?? ANONYMOUS;
});
