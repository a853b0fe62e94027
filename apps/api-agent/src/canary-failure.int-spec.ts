import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { COMMAND_REJECTIONS_STREAM, RollbackApiStep, type ApiCanaryJudged, type ApiStepFailed, type ApiStepRolledBack, type MessageData } from '@bascule/contracts';
import { readStream } from '@bascule/event-store';
import { waitFor } from '@bascule/plan-binding/testing';
import { LoadGenerator, VersionUpstreamServer } from '@bascule/api-router/testing';
import { foldMigration } from '@bascule/orchestration';
import { freePorts } from '@bascule/testing';
import { MAX_INTERVALS_PER_STEP } from './canary/canary-runner.service';
import { ApiAgentHarness, dataOf, defined } from './testing/api-agent-harness';
import { ErrorRateUpstream } from './testing/error-rate-upstream';
import { requestsThrough, waitForListening } from './testing/router-clients';
import { shopDocument } from './testing/shop-documents';

jest.setTimeout(120_000);

type Judged = MessageData<typeof ApiCanaryJudged>;
type Failed = MessageData<typeof ApiStepFailed>;

describe('api-agent (real Postgres, NATS and HTTP): a canary that fails, and its rollback', () => {
  let harness: ApiAgentHarness;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeEach(async () => {
    harness = await ApiAgentHarness.start();
  });

  afterEach(async () => {
    // Loads first (pushed last), so no request is still running when its router and upstreams close.
    for (const closer of closers.splice(0).reverse()) await closer.close();
    await harness?.stop();
  });

  function loadOn(port: number): LoadGenerator {
    // The router and these clients share the test's event loop: its lag adds to both versions'
    // latencies alike and dilutes a relative difference. Few clients keep the lag small; a thin
    // window is served longer until it can be judged.
    const load = LoadGenerator.start(`http://127.0.0.1:${port}`, { concurrency: 4 });
    // A failed expectation must not leave requests running into the next test.
    closers.push({ close: async () => void (await load.stop()) });
    return load;
  }

  async function canaryOf(from: { url: string }, to: { url: string }, steps = [5, 25, 50, 100]): Promise<{ port: number; migration: Awaited<ReturnType<ApiAgentHarness['plan']>> }> {
    const [port] = await freePorts(1);
    const migration = await harness.plan({
      service: 'shop',
      router: { kind: 'embedded', listen: `127.0.0.1:${port}` },
      from: { version: 'v1', upstream: from.url, openapi: shopDocument('1.0') },
      to: { version: 'v2', upstream: to.url, openapi: shopDocument('1.0') },
      canary: { steps, interval: '1s' },
    });
    await harness.startStep(migration);
    await waitForListening(port);
    return { port, migration };
  }

  it('a new version 3× slower fails at its first judged step, naming latency and both medians; api.rollback puts 100 % back on from', async () => {
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 20 });
    const v2 = await VersionUpstreamServer.start('v2', { latencyMs: 60 });
    closers.push(v1, v2);
    // A first step of 25 %: at 5 % a 60 ms v2 behind four clients gets ~9 requests a second, and on
    // a saturated host (CI beside a benchmark) too few for 10 intervals to judge: canary_unjudged.
    const { port, migration } = await canaryOf(v1, v2, [25, 50, 100]);
    const load = loadOn(port);

    const failedEvents = await harness.waitForEvent(migration, 'ApiStepFailed');
    const judged = dataOf<Judged>(failedEvents, 'ApiCanaryJudged');
    const firstJudged = defined(judged.find((window) => window.verdict !== 'insufficient'), 'a judged window');
    expect(firstJudged.verdict).toBe('fail');
    expect(judged.at(-1)).toBe(firstJudged);
    const failed = dataOf<Failed>(failedEvents, 'ApiStepFailed')[0];
    expect(failed).toMatchObject({ phase: 'canary', code: 'canary_failed', shares: firstJudged.shares });
    expect(failed.message).toMatch(/latency: median (\d+(\.\d+)?) ms vs old version (\d+(\.\d+)?) ms: \d+ % worse/);
    const [, current, old] = (/median (\d+(?:\.\d+)?) ms vs old version (\d+(?:\.\d+)?) ms/.exec(failed.message) ?? []).map(Number);
    expect(current / old).toBeGreaterThan(1.5);
    // Nothing moved after the failure: the agent leaves traffic to the rollback-manager.
    expect(dataOf(failedEvents, 'ApiTrafficShifted')).toHaveLength(firstJudged.canaryStep + 1);
    expect(foldMigration(await harness.events(migration)).status).toBe('failed');

    // The route table gone (a read model): the rollback still moves the traffic and says so.
    await harness.pool.query('ALTER TABLE bascule_api.routes RENAME TO routes_gone');
    const rollback = await harness.rollBack(migration);
    const rolledBackEvents = await harness.waitForEvent(migration, 'ApiStepRolledBack', 15_000);
    const switchedBy = performance.now();
    await load.more(200);
    const results = await load.stop();
    expect(dataOf<MessageData<typeof ApiStepRolledBack>>(rolledBackEvents, 'ApiStepRolledBack')[0]).toMatchObject({ service: 'shop', shares: { v1: 100, v2: 0 }, durationMs: expect.any(Number) });
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const afterSwitch = results.filter((result) => result.startedAt > switchedBy);
    expect(afterSwitch.length).toBeGreaterThanOrEqual(200);
    expect(new Set(afterSwitch.map((result) => result.version))).toEqual(new Set(['v1']));
    expect(foldMigration(await harness.events(migration)).phases[0].steps[0].status).toBe('compensated');

    // Delivered again (the rollback-manager retrying): traffic stays back, nothing new is recorded.
    // Commands of one subject are handled in order, so once a forged rollback sent after it is
    // refused, the repeat has been handled.
    const recorded = (await migration.agentEvents()).length;
    await harness.bus.sendCommand(RollbackApiStep, rollback);
    await harness.bus.sendCommand(RollbackApiStep, { ...rollback, commandId: randomUUID() });
    await waitFor('the forged rollback refused', async () => {
      const rejections = await readStream(harness.pool, COMMAND_REJECTIONS_STREAM);
      return rejections.some((event) => (event.data as { migrationId: string }).migrationId === migration.migrationId) ? true : undefined;
    });
    expect((await migration.agentEvents()).length).toBe(recorded);
    const later = await requestsThrough(`http://127.0.0.1:${port}`, 50);
    expect(new Set(later.map((result) => `${result.status} ${result.version}`))).toEqual(new Set(['200 v1']));
  });

  it('a new version answering 500 to a fifth of its requests fails on errors', async () => {
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    const v2 = await ErrorRateUpstream.start('v2', { failEvery: 5, latencyMs: 5 });
    closers.push(v1, v2);
    const { port, migration } = await canaryOf(v1, v2);
    const load = loadOn(port);
    const events = await harness.waitForEvent(migration, 'ApiStepFailed');
    await load.stop();
    const failed = dataOf<Failed>(events, 'ApiStepFailed')[0];
    expect(failed).toMatchObject({ phase: 'canary', code: 'canary_failed' });
    expect(failed.message).toMatch(/errors: failure rate (1[5-9]|2\d) % vs old version 0 %: \d+ points higher/);
    const last = defined(dataOf<Judged>(events, 'ApiCanaryJudged').at(-1), 'a judged window');
    expect(last.traffic[1]).toMatchObject({ version: 'v2', contractViolations: 0 });
    expect(last.traffic[1].serverErrors / last.traffic[1].requests).toBeGreaterThan(0.15);
  });

  it('a new version whose bodies break its OpenAPI document fails on contract violations, naming the operation and why', async () => {
    const v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    const v2 = await VersionUpstreamServer.start('v2', { latencyMs: 5, extra: { total: 'twelve' } });
    closers.push(v1, v2);
    const { port, migration } = await canaryOf(v1, v2);
    const load = loadOn(port);
    const events = await harness.waitForEvent(migration, 'ApiStepFailed');
    await load.stop();
    const failed = dataOf<Failed>(events, 'ApiStepFailed')[0];
    expect(failed.message).toMatch(/contract: (\d+) of \1 sampled responses of v2 broke its OpenAPI document: GET \/load \(200\): body\/total must be number/);
    const last = defined(dataOf<Judged>(events, 'ApiCanaryJudged').at(-1), 'a judged window');
    expect(last.traffic[1].contractViolations).toBeGreaterThan(0);
  });

  it('a canary step that gets too little traffic to judge is served longer, then fails instead of promoting on no evidence', async () => {
    const v1 = await VersionUpstreamServer.start('v1');
    const v2 = await VersionUpstreamServer.start('v2');
    closers.push(v1, v2);
    const { migration } = await canaryOf(v1, v2);
    // No load at all: nobody calls the service during its canary.
    const events = await harness.waitForEvent(migration, 'ApiStepFailed', 60_000);
    const failed = dataOf<Failed>(events, 'ApiStepFailed')[0];
    expect(failed).toMatchObject({ phase: 'canary', code: 'canary_unjudged', shares: { v1: 95, v2: 5 } });
    expect(failed.message).toMatch(new RegExp(`^canary step 1 of 4 \\(5 % on v2\\) could not be judged after ${MAX_INTERVALS_PER_STEP} intervals: `));
    expect(dataOf(events, 'ApiStepPromoted')).toEqual([]);
    expect(dataOf<Judged>(events, 'ApiCanaryJudged').map((window) => window.verdict)).toEqual(['insufficient']);
  });
});
