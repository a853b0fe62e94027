import type { ServiceName } from './service-ports';

/**
 * The NATS identity `bascule up` gives one service: `BASCULE_NATS_CREDS_<SERVICE>`, or
 * `BASCULE_NATS_USER_<SERVICE>` + `BASCULE_NATS_PASSWORD_<SERVICE>`, handed to that child as
 * `NATS_CREDS` / `NATS_USER` / `NATS_PASSWORD` (deploy/nats/bascule-nats.conf has one user per
 * service). A service with none set keeps whatever `NATS_*` the environment has.
 */
export function serviceNatsIdentity(service: ServiceName, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const suffix = service.toUpperCase().replace(/-/g, '_');
  const own = (name: string) => env[`BASCULE_${name}_${suffix}`] || undefined;
  const creds = own('NATS_CREDS');
  const user = own('NATS_USER');
  const password = own('NATS_PASSWORD');
  if (creds) return { NATS_CREDS: creds, NATS_USER: '', NATS_PASSWORD: '' };
  if (user || password) return { NATS_CREDS: '', NATS_USER: user ?? '', NATS_PASSWORD: password ?? '' };
  return {};
}
