import { isApiContractError } from '@bascule/api-contract';
import { isApiRouterError } from '@bascule/api-router';
import { isApiAgentError } from '../errors';

/**
 * The failure to record for an error with a stable code: a step that cannot run as specified (spec,
 * document, router, HAProxy). Null for anything else (the event store or the bus down): thrown on,
 * so the bus delivers the command again and it resumes.
 */
export function stepFailureOf(error: unknown): { code: string; message: string } | null {
  if (isApiAgentError(error) || isApiRouterError(error) || isApiContractError(error)) return { code: error.code, message: error.message };
  return null;
}
