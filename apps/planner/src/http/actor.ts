import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from './http-types';

export const ACTOR_HEADER = 'x-bascule-user';
export const ANONYMOUS = 'anonymous';

/** Who is calling: header `X-Bascule-User` (ARCHITECTURE.md), `anonymous` when absent. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<HttpRequest>().headers[ACTOR_HEADER];
  const actor = (Array.isArray(value) ? value[0] : value)?.trim();
  return actor ? actor.slice(0, 254) : ANONYMOUS;
});
