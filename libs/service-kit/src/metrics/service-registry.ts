import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export const SERVICE_INFO_METRIC = 'bascule_service_info';

/**
 * A registry of the service's own (not prom-client's global one, so tests and several apps in a
 * process never collide): Node's default metrics plus `bascule_service_info{service} 1`, which
 * lets a dashboard list the services that are up.
 */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({
    name: SERVICE_INFO_METRIC,
    help: 'A Bascule service is running (always 1); the label names it.',
    labelNames: ['service'],
    registers: [registry],
  });
  info.set({ service }, 1);
  return registry;
}
