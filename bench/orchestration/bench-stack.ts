import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStream, type StoredEvent } from '@bascule/event-store';
import { busTopology } from '@bascule/messaging';
import { portEnvName, SERVICE_NAMES } from '@bascule/service-kit';
import { connect } from 'nats';
import { Pool } from 'pg';
import { fileSink } from '../../apps/cli/src/up/log-sink';
import { PlannerClient } from '../../apps/cli/src/commands/migrations/planner-client';
import { ServiceStack } from '../../apps/cli/src/commands/demo/service-stack';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';

/** The six services for a bench: scratch event store and target, a bus prefix and free ports of their own. */
export interface BenchStack {
  services: ServiceStack;
  planner: PlannerClient;
  target: ScratchDatabase;
  busPrefix: string;
  natsUrl: string;
  logDir: string;
  store: Pool;
  stream(migrationId: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function startBenchStack(root: string, serverUrl: string, natsUrl: string, prepareTarget: (target: ScratchDatabase) => Promise<void>): Promise<BenchStack> {
  const events = await createScratchDatabase(serverUrl, 'bench_orch_events');
  const target = await createScratchDatabase(serverUrl, 'bench_orch_app');
  const busPrefix = `bench_orch_${process.pid}`;
  const logDir = mkdtempSync(join(tmpdir(), 'bench-orchestration-'));
  const store = new Pool({ connectionString: events.url, max: 2 });
  const ports = await freePorts(SERVICE_NAMES.length);
  const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL: natsUrl, BASCULE_DATABASE_URL: events.url, BASCULE_BUS_PREFIX: busPrefix, BASCULE_TARGET_APP_URL: target.url };
  delete env['PORT'];
  SERVICE_NAMES.forEach((name, index) => (env[portEnvName(name)] = String(ports[index])));
  const sink = fileSink(logDir);
  let services: ServiceStack | undefined;
  const close = async (): Promise<void> => {
    await services?.stop(5_000);
    await sink.close();
    await store.end();
    const nc = await connect({ servers: natsUrl, name: 'bench-orchestration-cleanup' });
    const jsm = await nc.jetstreamManager();
    const topology = busTopology(busPrefix);
    for (const stream of [topology.eventsStream, topology.commandsStream]) await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
    await events.drop();
    await target.drop();
  };
  try {
    await prepareTarget(target);
    services = await ServiceStack.start({ root, env, sink, healthTimeoutMs: 90_000 });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    services,
    planner: new PlannerClient(services.url('planner'), 'bench'),
    target,
    busPrefix,
    natsUrl,
    logDir,
    store,
    stream: (migrationId) => readStream(store, `migration-${migrationId}`),
    close,
  };
}
