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
import { PlannerClient } from '../../../apps/cli/src/commands/migrations/planner-client';
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
  /** Every copy of the six services (`options.copies`); the first is `services`. Copy n logs to `<logDir>/copy-n/`. */
  copies: ServiceStack[];
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

/**
 * `extraEnv`: settings of the test's own for every service (where a router's files are, say).
 * `copies`: how many copies of each service to run (default 1), each on ports of its own, all on the
 * same event store and bus prefix, so they share the durable consumers (a scale-out).
 * `healthTimeoutMs`: how long each service may take to answer on /health (default 60 s).
 */
export async function startOrchestrationStack(
  prepareTarget: (app: Pool) => Promise<void>,
  extraEnv: Record<string, string> = {},
  options: { copies?: number; healthTimeoutMs?: number } = {},
): Promise<OrchestrationStack> {
  const events = await createTestDatabase('e2e_events');
  const target = await createTestDatabase('e2e_app');
  const busPrefix = uniqueBusPrefix();
  const logDir = mkdtempSync(join(tmpdir(), 'bascule-e2e-'));
  const role = await createTestRole('e2e_services');
  const store = new Pool({ connectionString: events.url, max: 2 });
  const app = new Pool({ connectionString: target.url, max: 3 });
  const copyCount = options.copies ?? 1;
  const healthTimeoutMs = options.healthTimeoutMs ?? 60_000;
  const ports = await freePorts(SERVICE_NAMES.length * copyCount);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, BASCULE_DATABASE_URL: role.urlOn(events), BASCULE_BUS_PREFIX: busPrefix, BASCULE_TARGET_APP_URL: target.url };
  delete env['PORT'];
  SERVICE_NAMES.forEach((name, index) => (env[portEnvName(name)] = String(ports[index])));
  const sink = fileSink(logDir);
  let services: ServiceStack | undefined;
  const copies: ServiceStack[] = [];
  const copySinks = Array.from({ length: copyCount - 1 }, (_, index) => fileSink(join(logDir, `copy-${index + 2}`)));
  const close = async (): Promise<void> => {
    for (const stack of [services, ...copies]) stack?.killAll();
    await Promise.all([services, ...copies].map((stack) => stack?.stop(5_000)));
    await Promise.all([sink, ...copySinks].map((each) => each.close()));
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
    services = await ServiceStack.start({ root: REPO_ROOT, env, sink, healthTimeoutMs });
    for (const [index, copySink] of copySinks.entries()) {
      const copyEnv: NodeJS.ProcessEnv = { ...env };
      SERVICE_NAMES.forEach((name, at) => (copyEnv[portEnvName(name)] = String(ports[(index + 1) * SERVICE_NAMES.length + at])));
      copies.push(await ServiceStack.start({ root: REPO_ROOT, env: copyEnv, sink: copySink, healthTimeoutMs }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    services,
    copies: [services, ...copies],
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
