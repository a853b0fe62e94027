import { UnsafeListenHostError } from '../service-kit.errors';
import type { ServiceName } from './service-ports';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether REST authentication is configured (ARCHITECTURE.md "Configuration": tokens file or OIDC). */
export function authenticationConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['BASCULE_TOKENS_FILE'] || env['BASCULE_OIDC_JWKS_URL']);
}

/**
 * The address a service listens on. With no authentication configured every service listens on
 * 127.0.0.1 only (the contract), and the planner refuses to be told otherwise: its REST API can
 * start migrations. With authentication, the planner listens on every interface unless
 * `BASCULE_LISTEN_HOST` names one; the other five (only `/health` and `/metrics`) stay on
 * 127.0.0.1 unless `BASCULE_LISTEN_HOST` says otherwise (a Prometheus elsewhere).
 */
export function listenHost(service: ServiceName, env: NodeJS.ProcessEnv): string {
  const requested = env['BASCULE_LISTEN_HOST']?.trim() || undefined;
  if (service === 'planner' && !authenticationConfigured(env)) {
    if (requested && !LOOPBACK.has(requested)) throw new UnsafeListenHostError(requested);
    return requested ?? '127.0.0.1';
  }
  return requested ?? (service === 'planner' ? '0.0.0.0' : '127.0.0.1');
}
