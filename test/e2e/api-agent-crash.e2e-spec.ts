import type { ApiCanaryJudged, ApiTrafficShifted, MessageData } from '@bascule/contracts';
import type { StoredEvent } from '@bascule/event-store';
import { HaproxyInstance, LoadGenerator, VersionUpstreamServer } from '@bascule/api-router/testing';
import { freePorts } from '@bascule/testing';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { startOrchestrationStack, typesOf, type OrchestrationStack } from './support/orchestration-stack';

const document = {
  openapi: '3.0.3',
  info: { title: 'shop', version: '1' },
  paths: { '/load': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } } } } } } } },
};

function dataOf<T>(events: readonly StoredEvent[], type: string): T[] {
  return events.filter((event) => event.type === type).map((event) => event.data as T);
}

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('an api step through HAProxy across the six services, the api-agent killed mid-canary', () => {
  let stack: OrchestrationStack | undefined;
  const closers: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await stack?.close();
    stack = undefined;
  });


  it('HAProxy goes on serving at the last shares while the agent is down; the restarted agent resumes the canary where it was and promotes; the rollback then moves traffic and schema back; no request fails', async () => {
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    const v2 = await VersionUpstreamServer.start('v2', { latencyMs: 5 });
    closers.push(() => v1.close(), () => v2.close());
    const [logPort] = await freePorts(1);
    const haproxy = await HaproxyInstance.start({ servers: [{ version: 'v1', upstream: v1.url }, { version: 'v2', upstream: v2.url }], backend: 'shop', logPort });
    closers.push(() => haproxy.stop());
    // Readers on HAProxy from before the migration to after its rollback.
    const load = LoadGenerator.start(haproxy.url, { concurrency: 8 });
    closers.push(() => load.stop());

    stack = await startOrchestrationStack(
      async (app) => {
        await app.query('CREATE TABLE orders (id integer PRIMARY KEY, total integer NOT NULL); INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g');
      },
      { BASCULE_API_HAPROXY_CONFIG: haproxy.configPath, BASCULE_API_HAPROXY_LOG_LISTEN: `127.0.0.1:${logPort}` },
    );
    const { planner, logDir } = stack;
    const posted = await planner.plan({
      name: 'shop-v2-haproxy',
      target: 'app',
      phases: [
        { name: 'expand', steps: [{ id: 'orders-channel', schema: { operations: [{ add_column: { table: 'orders', column: { name: 'channel', type: 'text', default: "'web'", nullable: false }, up: "'web'" } }] } }] },
        {
          name: 'canary',
          steps: [
            {
              id: 'shop-v2',
              api: {
                service: 'shop',
                router: { kind: 'haproxy', socket: haproxy.adminSocket, backend: 'shop' },
                from: { version: 'v1', upstream: v1.url, openapi: document },
                to: { version: 'v2', upstream: v2.url, openapi: document },
                canary: { steps: [10, 50, 100], interval: '2s' },
              },
            },
          ],
        },
      ],
    });
    await planner.send(posted.id, 'start');

    // The first window judged (10 % passed): kill -9 the agent before it moves to 50 %.
    const beforeKill = await waitForStream(stack, posted.id, (events) => dataOf<MessageData<typeof ApiCanaryJudged>>(events, 'ApiCanaryJudged').length >= 1, logDir);
    await stack.services.kill('api-agent');
    const killed = await stack.stream(posted.id);
    const sharesAtKill = dataOf<MessageData<typeof ApiTrafficShifted>>(killed, 'ApiTrafficShifted').at(-1)?.shares;
    // The agent sets a step's weights, then records the shift: killed between the two, HAProxy is
    // one step (50 %) ahead of the log. Either way, while the agent is down the weights stay and HAProxy serves.
    const weightsAtKill = await haproxy.weightsOf(['v1', 'v2']);
    expect([sharesAtKill, { v1: 50, v2: 50 }]).toContainEqual(weightsAtKill);
    const servedWhileDown = load.results.length;
    await load.more(200);
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual(weightsAtKill);
    expect(load.failures()).toEqual([]);

    const killedAt = Date.now();
    await stack.services.launch('api-agent');
    const healthyAt = Date.now();
    const expanded = await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs: ${logDir})`, givesUpOn: ['rolled_back', 'rollback_failed', 'completed'], timeoutMs: 120_000 });
    expect(expanded.phases[1].steps[0].status).toBe('succeeded');
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual({ v1: 0, v2: 100 });
    const promoted = await stack.stream(posted.id);
    const judged = dataOf<MessageData<typeof ApiCanaryJudged>>(promoted, 'ApiCanaryJudged');
    // Resumed at the first step not judged: 10 % judged once, before the kill; then 50 % and 100 %.
    expect(judged.map((window) => window.canaryStep)).toEqual([0, 1, 2]);
    expect(judged.map((window) => window.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(typesOf(promoted).filter((type) => type === 'ApiStepPromoted')).toHaveLength(1);
    expect(typesOf(promoted).filter((type) => type === 'SchemaStepExpanded')).toHaveLength(1);
    expect(beforeKill.length).toBeLessThan(promoted.length);
    const resumed = promoted.find((event) => event.type === 'ApiTrafficShifted' && event.recordedAt.getTime() > killedAt);
    process.stdout.write(`api-agent kill -9: restarted and healthy in ${healthyAt - killedAt} ms, canary resumed (next shift) ${resumed ? resumed.recordedAt.getTime() - healthyAt : '-'} ms later\n`);

    await planner.send(posted.id, 'rollback', { reason: 'e2e: back to v1 after promotion' });
    await watchMigration(planner, posted.id, { until: statusIs('rolled_back'), wanted: `rolled_back (logs: ${logDir})`, givesUpOn: ['rollback_failed', 'completed'], timeoutMs: 60_000 });
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual({ v1: 100, v2: 0 });
    const types = typesOf(await stack.stream(posted.id));
    expect(types.indexOf('ApiStepRolledBack')).toBeLessThan(types.indexOf('SchemaStepRolledBack'));
    expect((await stack.app.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'channel'")).rows[0].n).toBe(0);
    const switchedBy = performance.now();
    await load.more(100);
    const results = await load.stop();
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(new Set(results.filter((result) => result.startedAt > switchedBy).map((result) => result.version))).toEqual(new Set(['v1']));
    expect(results.length).toBeGreaterThan(servedWhileDown);
  });
});

async function waitForStream(stack: OrchestrationStack, id: string, done: (events: StoredEvent[]) => boolean, logDir: string): Promise<StoredEvent[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const events = await stack.stream(id);
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`not within 60 s: ${typesOf(events).join(', ')} (logs: ${logDir})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
