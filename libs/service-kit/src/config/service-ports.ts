import { InvalidPortError, UnknownServiceError } from '../service-kit.errors';

/** The six services in the order of ARCHITECTURE.md's services table; their default ports are contract. */
export const SERVICE_DEFAULT_PORTS = {
  planner: 3000,
  'schema-agent': 3001,
  'api-agent': 3002,
  'data-verifier': 3003,
  'rollback-manager': 3004,
  monitor: 3005,
} as const;

export type ServiceName = keyof typeof SERVICE_DEFAULT_PORTS;

export const SERVICE_NAMES = Object.keys(SERVICE_DEFAULT_PORTS) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return Object.prototype.hasOwnProperty.call(SERVICE_DEFAULT_PORTS, name);
}

export function assertServiceName(name: string): ServiceName {
  if (!isServiceName(name)) throw new UnknownServiceError(name, SERVICE_NAMES);
  return name;
}

/** `BASCULE_PORT_SCHEMA_AGENT` for `schema-agent`: how `bascule up` is told a port per service. */
export function portEnvName(service: ServiceName): string {
  return `BASCULE_PORT_${service.toUpperCase().replace(/-/g, '_')}`;
}

export function parsePort(value: string, source: string): number {
  const trimmed = value.trim();
  const port = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || port < 1 || port > 65535) throw new InvalidPortError(source, value);
  return port;
}

/** A single service listens on `PORT` (the contract), else on its default. */
export function servicePort(defaultPort: number, env: NodeJS.ProcessEnv): number {
  const fromEnv = env['PORT'];
  return fromEnv === undefined || fromEnv === '' ? defaultPort : parsePort(fromEnv, 'PORT');
}

/**
 * The port `bascule up` gives a service: its own `BASCULE_PORT_<SERVICE>` first, then
 * `basePort` + its place in the services table, then its default. `PORT` is ignored here on
 * purpose: one value cannot serve six processes.
 */
export function supervisedPort(service: ServiceName, env: NodeJS.ProcessEnv, basePort?: number): number {
  const name = portEnvName(service);
  const fromEnv = env[name];
  if (fromEnv !== undefined && fromEnv !== '') return parsePort(fromEnv, name);
  if (basePort === undefined) return SERVICE_DEFAULT_PORTS[service];
  const port = basePort + SERVICE_NAMES.indexOf(service);
  if (port > 65535) throw new InvalidPortError('--base-port', String(basePort));
  return port;
}
