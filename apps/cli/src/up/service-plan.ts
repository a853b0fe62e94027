import { join } from 'node:path';
import { listenHost, SERVICE_NAMES, supervisedPort, type ServiceName } from '@bascule/service-kit';

export interface PlannedService {
  name: ServiceName;
  port: number;
  url: string;
  /** The compiled entry point, run as `node -r tools/dist-paths.js <entry>`. */
  entry: string;
}

/** Where each of the six services will listen and which file starts it; pure, so it is unit-tested. */
export function planServices(root: string, env: NodeJS.ProcessEnv, basePort?: number): PlannedService[] {
  return SERVICE_NAMES.map((name) => {
    const port = supervisedPort(name, env, basePort);
    return { name, port, url: `http://${reachableHost(listenHost(name, env))}:${port}`, entry: join(root, 'dist', 'apps', name, 'src', 'main.js') };
  });
}

/** The address to reach a service listening on `host`: loopback for "every interface". */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Two services on one port would leave one of them dead on EADDRINUSE: refuse up front. */
export function duplicatePorts(plan: readonly PlannedService[]): string | undefined {
  const seen = new Map<number, string>();
  for (const service of plan) {
    const other = seen.get(service.port);
    if (other) return `${other} and ${service.name} are both given port ${service.port}`;
    seen.set(service.port, service.name);
  }
  return undefined;
}
