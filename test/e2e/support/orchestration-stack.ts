import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStream, type StoredEvent } from '@bascule/event-store';
import { apiRouteDataSourceOptions, prepareApiRouteStore } from '@bascule/api-route-store';
import { monitorDataSourceOptions, prepareMonitorStore } from '@bascule/monitor-store';
import { portEnvName, prepareEventStore, SERVICE_NAMES } from '@bascule/service-kit';
import { DataSource } from 'typeorm';
import { connectTestNats, createTestDatabase, createTestRole, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { fileSink } from '../../../apps/cli/src/up/log-sink';
import { PlannerClient } from '../../../apps/cli/src/commands/demo/planner-client';
import { ServiceStack } from '../../../apps/cli/src/commands/demo/service-stack';
import { freePorts, REPO_ROOT } from './bascule-up';

/**
 * One isolated Bascule for one test: the six services from dist/ as separate processes, with an
 * event-store database, a target database (target `app`), a bus prefix and ports of their own.
 * Service logs go to `logDir` (printed when a test fails, so a failure can be read).
 * The services connect to the event store as a least-privilege role of their own, as in production
 * (docs/security.md, "Least privilege"): the admin prepares the store, the services only append.
 */
export interface OrchestrationStack {
  services: ServiceStack;
  planner: PlannerClient;
  events: TestDatabase;
  target: TestDatabase;
  busPrefix: string;
  logDir: string;
  /** A pool on the event store, for reading streams directly. */
  store: Pool;
  /** A pool on the target database. */
  app: Pool;
  stream(migrationId: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

/** `extraEnv`: settings of the test's own for every service (where a router's files are, say). */
export async function startOrchestrationStack(prepareTarget: (app: Pool) => Promise<void>, extraEnv: Record<string, string> = {}): Promise<OrchestrationStack> {
  const events = await createTestDatabase('e2e_events');
  const target = await createTestDatabase('e2e_app');
  const busPrefix = uniqueBusPrefix();
  const logDir = mkdtempSync(join(tmpdir(), 'bascule-e2e-'));
  const role = await createTestRole('e2e_services');
  const store = new Pool({ connectionString: events.url, max: 2 });
  const app = new Pool({ connectionString: target.url, max: 3 });
  const ports = await freePorts(SERVICE_NAMES.length);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, BASCULE_DATABASE_URL: role.urlOn(events), BASCULE_BUS_PREFIX: busPrefix, BASCULE_TARGET_APP_URL: target.url };
  delete env['PORT'];
  SERVICE_NAMES.forEach((name, index) => (env[portEnvName(name)] = String(ports[index])));
  const sink = fileSink(logDir);
  let services: ServiceStack | undefined;
  const close = async (): Promise<void> => {
    services?.killAll();
    await services?.stop(5_000);
    await sink.close();
    await Promise.all([store.end(), app.end()]);
    const nc = await connectTestNats();
    await deleteStreams(nc, busPrefix);
    await nc.close();
    await Promise.all([events.drop(), target.drop()]);
    await role.drop();
  };
  try {
    await prepareEventStore(store, role.name);
    await prepareMonitorTables(events.url, role.name);
    await prepareTarget(app);
    services = await ServiceStack.start({ root: REPO_ROOT, env, sink, healthTimeoutMs: 60_000 });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    services,
    planner: new PlannerClient(services.url('planner'), 'e2e'),
    events,
    target,
    busPrefix,
    logDir,
    store,
    app,
    stream: (migrationId) => readStream(store, `migration-${migrationId}`),
    close,
  };
}

export function typesOf(events: readonly StoredEvent[]): string[] {
  return events.map((event) => event.type);
}

/** What `bascule events init --grant` does for the monitor's and the api-agent's tables: the services' role may not create them. */
async function prepareMonitorTables(url: string, role: string): Promise<void> {
  for (const [options, prepare] of [
    [monitorDataSourceOptions(url, 'bascule-e2e'), prepareMonitorStore],
    [apiRouteDataSourceOptions(url, 'bascule-e2e'), prepareApiRouteStore],
  ] as const) {
    const dataSource = await new DataSource(options).initialize();
    try {
      await prepare(dataSource, role);
    } finally {
      await dataSource.destroy();
    }
  }
}
