import { portEnvName, SERVICE_NAMES } from '@bascule/service-kit';

/**
 * The demo runs beside a user's own stack without touching it: its own target and event-store
 * databases (dropped and recreated each run), its own bus prefix (streams DEMO_EVENTS and
 * DEMO_CMDS, on-call subject `demo.cmd.rollback`), its own ports (3100-3105 by default).
 */
export const DEMO_APP_DATABASE = 'bascule_demo_app';
export const DEMO_EVENTS_DATABASE = 'bascule_demo_events';
export const DEMO_BUS_PREFIX = 'demo';
export const DEMO_BASE_PORT = 3100;
export const DEMO_TARGET = 'app';

export interface DemoEnvironmentInput {
  natsUrl: string;
  appUrl: string;
  eventsUrl: string;
}

/** The services' environment: the caller's, minus settings that would point them at the user's stack. */
export function demoServiceEnv(base: NodeJS.ProcessEnv, input: DemoEnvironmentInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env['PORT'];
  for (const name of SERVICE_NAMES) delete env[portEnvName(name)];
  for (const key of Object.keys(env)) if (/^BASCULE_TARGET_.+_URL$/.test(key)) delete env[key];
  return {
    ...env,
    NATS_URL: input.natsUrl,
    BASCULE_DATABASE_URL: input.eventsUrl,
    BASCULE_BUS_PREFIX: DEMO_BUS_PREFIX,
    BASCULE_TARGET_APP_URL: input.appUrl,
  };
}
