import { VersionUpstreamServer } from '@bascule/api-router/testing';
import type { MigrationPlan } from '@bascule/contracts';
import { freePorts } from '@bascule/testing';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import { startOrchestrationStack, typesOf, type OrchestrationStack } from './support/orchestration-stack';
import { readersThrough } from './support/router-readers';

const document = (version: string) => ({
  openapi: '3.0.3',
  info: { title: 'shop', version },
  paths: { '/load': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } } } } } } } },
});

/** The step moving service `shop` from v1 to v2 through an embedded router on `routerPort`, a second a canary step. */
function apiStep(routerPort: number, v1: { url: string }, v2: { url: string }, options: { toDocument: object; steps: number[] }) {
  return {
    id: 'shop-v2',
    api: {
      service: 'shop',
      router: { kind: 'embedded', listen: `127.0.0.1:${routerPort}` },
      from: { version: 'v1', upstream: v1.url, openapi: document('1') },
      to: { version: 'v2', upstream: v2.url, openapi: options.toDocument },
      canary: { steps: options.steps, interval: '1s' },
    },
  };
}

// Runs the compiled services: `npm test` builds first (pretest); alone, run `npm run build` before.
describe('an api step across the six services: schema and API rolled back together', () => {
  let stack: OrchestrationStack | undefined;
  const closers: Array<{ close(): Promise<void> }> = [];

  afterEach(async () => {
    for (const closer of closers.splice(0).reverse()) await closer.close();
    await stack?.close();
    stack = undefined;
  });

  it('a slower v2 fails its canary; the rollback puts all traffic back on v1 first, then drops the column; no request fails', async () => {
    stack = await startOrchestrationStack(async (app) => {
      await app.query('CREATE TABLE orders (id integer PRIMARY KEY, total integer NOT NULL); INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g');
    });
    const { planner, app, logDir } = stack;
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 20 });
    const v2 = await VersionUpstreamServer.start('v2', { latencyMs: 60 });
    closers.push(v1, v2);
    const [routerPort] = await freePorts(1);
    const posted = await planner.plan({
      name: 'shop-v2',
      target: 'app',
      rollback: { automatic: true, window: '72h' },
      phases: [
        { name: 'expand', steps: [{ id: 'orders-channel', schema: { operations: [{ add_column: { table: 'orders', column: { name: 'channel', type: 'text', default: "'web'", nullable: false }, up: "'web'" } }] } }] },
        {
          name: 'canary',
          steps: [
            apiStep(routerPort, v1, v2, { toDocument: document('2'), steps: [20, 50, 100] }),
          ],
        },
      ],
    });
    await planner.send(posted.id, 'start');
    await watchMigration(planner, posted.id, { until: (state) => state.phases[1].status !== 'pending', wanted: 'the canary phase', timeoutMs: 60_000 });
    const load = await readersThrough(routerPort, logDir);
    closers.push({ close: async () => void (await load.stop()) });

    const final = await watchMigration(planner, posted.id, {
      until: statusIs('rolled_back'),
      wanted: `rolled_back (logs: ${logDir})`,
      givesUpOn: ['rollback_failed', 'completed', 'expanded'],
      timeoutMs: 120_000,
    });
    const switchedBy = performance.now();
    await load.more(100);
    const results = await load.stop();

    const events = await stack.stream(posted.id);
    const types = typesOf(events);
    const failed = events.find((event) => event.type === 'ApiStepFailed');
    expect(failed?.data).toMatchObject({ phase: 'canary', code: 'canary_failed', message: expect.stringMatching(/latency: median .* vs old version .*worse/) });
    expect(events.find((event) => event.type === 'RollbackStarted')?.data).toMatchObject({ trigger: 'automatic' });
    // Traffic back on v1 before the schema step's compensation.
    expect(types.indexOf('ApiStepRolledBack')).toBeGreaterThan(-1);
    expect(types.indexOf('ApiStepRolledBack')).toBeLessThan(types.indexOf('SchemaStepRolledBack'));
    expect(final.status).toBe('rolled_back');
    expect((await app.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'channel'")).rows[0].n).toBe(0);
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(new Set(results.filter((result) => result.startedAt > switchedBy).map((result) => result.version))).toEqual(new Set(['v1']));
    process.stdout.write(`api e2e: ${(failed?.data as { message: string }).message}\n`);
  });

  it('a v2 as good as v1 is promoted: the canary walks to 100 %, the migration goes on to expanded', async () => {
    stack = await startOrchestrationStack(async (app) => {
      await app.query('CREATE TABLE orders (id integer PRIMARY KEY, total integer NOT NULL)');
    });
    const { planner, logDir } = stack;
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    const v2 = await VersionUpstreamServer.start('v2', { latencyMs: 5 });
    closers.push(v1, v2);
    const [routerPort] = await freePorts(1);
    const posted = await planner.plan({
      name: 'shop-v2-upgrade',
      target: 'app',
      phases: [
        {
          name: 'canary',
          steps: [
            // Identical documents: a framework upgrade that keeps the contract.
            apiStep(routerPort, v1, v2, { toDocument: document('1'), steps: [50, 100] }),
          ],
        },
      ],
    });
    // Identical documents (an upgrade that keeps the contract): the gate reports nothing.
    expect((posted.plan as MigrationPlan).risks.filter((risk) => risk.pointer !== undefined)).toEqual([]);
    await planner.send(posted.id, 'start');
    const load = await readersThrough(routerPort, logDir);
    closers.push({ close: async () => void (await load.stop()) });
    const final = await watchMigration(planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs: ${logDir})`, timeoutMs: 90_000 });
    const results = await load.stop();
    expect(final.phases[0].steps[0].status).toBe('succeeded');
    expect(typesOf(await stack.stream(posted.id))).toContain('ApiStepPromoted');
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const after = await fetch(`http://127.0.0.1:${routerPort}/load`);
    expect(after.headers.get('x-version')).toBe('v2');
  });
});
