import { listenHost } from './listen-host';
import { servicePort, type ServiceName } from './service-ports';

export const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/bascule';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export interface DependencyUrls {
  /** The event store's database (`BASCULE_DATABASE_URL`); created if missing. */
  databaseUrl: string;
  natsUrl: string;
}

export interface ServiceConfig extends DependencyUrls {
  name: ServiceName;
  port: number;
  /** Where it listens (listen-host.ts): 127.0.0.1 unless authentication is configured. */
  host: string;
}

export function dependencyUrls(env: NodeJS.ProcessEnv): DependencyUrls {
  return {
    databaseUrl: env['BASCULE_DATABASE_URL'] || DEFAULT_DATABASE_URL,
    natsUrl: env['NATS_URL'] || DEFAULT_NATS_URL,
  };
}

export function serviceConfig(name: ServiceName, defaultPort: number, env: NodeJS.ProcessEnv): ServiceConfig {
  return { name, port: servicePort(defaultPort, env), host: listenHost(name, env), ...dependencyUrls(env) };
}
