import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busTopology } from '@bascule/messaging';
import { assertDependenciesReachable, SERVICE_NAMES } from '@bascule/service-kit';
import { connect } from 'nats';
import { fileSink } from '../../up/log-sink';
import { count, progressPrinter, type DemoContext } from './demo-context';
import { DEMO_APP_DATABASE, DEMO_BUS_PREFIX, DEMO_EVENTS_DATABASE, demoServiceEnv } from './demo-environment';
import { runForwardMigration } from './forward-migration';
import { nextSteps } from './next-steps';
import { PlannerClient } from '../migrations/planner-client';
import { runApiCanaryRollback } from './api-canary-rollback';
import { runMonitoredRollback } from './monitored-rollback';
import { runOnCallRollback } from './rollback-migration';
import { databaseUrlFor, DEFAULT_SAMPLE_SIZE, loadSampleShop, recreateDatabase } from './sample-database';
import { ServiceStack } from './service-stack';
import { WriteLoad } from './write-load';

export interface DemoOptions {
  root: string;
  serverUrl: string;
  natsUrl: string;
  basePort: number;
  logDir: string;
  signal: AbortSignal;
  /** Called with the stack once it exists, so a second Ctrl-C can kill it at once. */
  onStack: (stack: ServiceStack) => void;
  say: (line?: string) => void;
}

export const DEFAULT_LOG_DIR = join(tmpdir(), 'bascule-demo', 'logs');
const STOP_GRACE_MS = 10_000;

/** Deletes the demo's JetStream streams (DEMO_EVENTS, DEMO_CMDS) so each run starts with an empty bus. */
async function resetDemoStreams(natsUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, name: 'bascule-demo-reset' });
  try {
    const jsm = await nc.jetstreamManager();
    const topology = busTopology(DEMO_BUS_PREFIX);
    for (const stream of [topology.eventsStream, topology.commandsStream]) await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

/**
 * `bascule demo`: the whole story in one command. Sample shop with a live write load, the six
 * services as processes, a migration run to completion, a second one rolled back by the on-call
 * command, a third rolled back by the monitor, a fourth (a column and the API v2 that reads it)
 * rolled back by its canary, everything stopped at the end (also on Ctrl-C).
 * Returns the exit code.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { say } = options;
  const appUrl = databaseUrlFor(options.serverUrl, DEMO_APP_DATABASE);
  const eventsUrl = databaseUrlFor(options.serverUrl, DEMO_EVENTS_DATABASE);
  await assertDependenciesReachable({ databaseUrl: databaseUrlFor(options.serverUrl, 'postgres'), natsUrl: options.natsUrl });

  say('1. A sample application database');
  await recreateDatabase(options.serverUrl, DEMO_APP_DATABASE);
  await recreateDatabase(options.serverUrl, DEMO_EVENTS_DATABASE);
  await resetDemoStreams(options.natsUrl);
  const counts = await loadSampleShop(appUrl);
  say(`  ${DEMO_APP_DATABASE}: customers ${count(counts.customers)}, products ${count(counts.products)}, orders ${count(counts.orders)}, order_items ${count(counts.orderItems)} (foreign keys, indexes, checks)`);

  say(`2. The six services as separate processes (event store ${DEMO_EVENTS_DATABASE}, bus prefix "${DEMO_BUS_PREFIX}", logs in ${options.logDir})`);
  options.signal.throwIfAborted();
  const sink = fileSink(options.logDir);
  let stack: ServiceStack | undefined;
  let load: WriteLoad | undefined;
  try {
    stack = await ServiceStack.start({
      root: options.root,
      env: demoServiceEnv(process.env, { natsUrl: options.natsUrl, appUrl, eventsUrl }),
      basePort: options.basePort,
      sink,
      healthTimeoutMs: 90_000,
    });
    options.onStack(stack);
    options.signal.throwIfAborted();
    const width = Math.max(...SERVICE_NAMES.map((name) => name.length));
    for (const name of SERVICE_NAMES) say(`  ${name.padEnd(width)}  ${stack.url(name)}  healthy  pid ${stack.pid(name)}`);

    const ctx: DemoContext = {
      root: options.root,
      natsUrl: options.natsUrl,
      planner: new PlannerClient(stack.url('planner'), 'demo'),
      signal: options.signal,
      say,
      progress: progressPrinter(say),
    };
    say('3. The application keeps writing: 3 writers place orders, 1 updates customers, through the physical schema');
    load = new WriteLoad({ databaseUrl: appUrl, orderWriters: 3, customerWriters: 1, pauseMs: 10, customers: counts.customers, products: DEFAULT_SAMPLE_SIZE.products }).start();

    say('4. Migration 1: expand, sql step, verification, complete — under the write load');
    const forward = await runForwardMigration(ctx, load);
    load = undefined;

    options.signal.throwIfAborted();
    say('5. Migration 2: a slow backfill, rolled back by the on-call command');
    const back = await runOnCallRollback(ctx);

    options.signal.throwIfAborted();
    say('6. Migration 3: a cleanup that hurts a lookup, rolled back by the monitor');
    const watched = await runMonitoredRollback(ctx);

    options.signal.throwIfAborted();
    say('7. Migration 4: a column and the API that reads it, canaried together and rolled back together');
    // The router and the two versions of the example app go on the ports after the services'.
    const apiPorts = { router: options.basePort + 10, v1: options.basePort + 11, v2: options.basePort + 12 };
    const canary = await runApiCanaryRollback(ctx, appUrl, apiPorts, counts.orders);

    say('8. Stopping the services');
    await stack.stop(STOP_GRACE_MS);
    say('  all six stopped');
    say();
    say(
      `Summary: migration 1 completed in ${(forward.durationMs / 1000).toFixed(1)} s with ${count(forward.load.ok)} writes ok and ${count(forward.load.failed)} failed; ` +
        `migration 2 rolled back ${back.commandToRolledBackMs} ms after the on-call command, restoration ${back.restorationPassed === null ? 'not verified' : back.restorationPassed ? 'verified' : 'NOT verified'}; ` +
        `migration 3 ${watched.status === 'rolled_back' ? 'rolled back by the monitor' : `ended ${watched.status}`}; ` +
        `migration 4 ${canary.status === 'rolled_back' ? `rolled back by its canary, ${canary.reads.failed} of ${count(canary.reads.ok + canary.reads.failed)} reads through the router failed` : `ended ${canary.status}`}.`,
    );
    say();
    for (const line of nextSteps(options.serverUrl)) say(line);
    const apiRolledBack = canary.status === 'rolled_back' && canary.reads.failed === 0 && (canary.reads.byVersionSinceMark['v2'] ?? 0) === 0;
    return forward.load.failed === 0 && back.restorationPassed === true && watched.status === 'rolled_back' && apiRolledBack ? 0 : 1;
  } finally {
    await load?.stop().catch(() => undefined);
    await stack?.stop(STOP_GRACE_MS);
    await sink.close();
  }
}
