import type { ApiCanaryJudged, ApiStepPromoted, ApiStepRolledBack, MessageData } from '@bascule/contracts';
import { HaproxyInstance, LoadGenerator, VersionUpstreamServer } from '@bascule/api-router/testing';
import type { RecordedMigration } from '@bascule/plan-binding/testing';
import { freePorts } from '@bascule/testing';
import { ApiAgentHarness, dataOf } from './testing/api-agent-harness';
import { shopDocument } from './testing/shop-documents';

jest.setTimeout(120_000);

type Judged = MessageData<typeof ApiCanaryJudged>;

describe('api-agent (real HAProxy, Postgres, NATS and HTTP): a canary through HAProxy', () => {
  const closers: Array<() => Promise<unknown>> = [];
  let v1: VersionUpstreamServer;
  let v2: VersionUpstreamServer;

  beforeEach(async () => {
    v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    v2 = await VersionUpstreamServer.start('v2', { latencyMs: 5 });
    closers.push(() => v1.close(), () => v2.close());
  });

  afterEach(async () => {
    // Last started, first stopped: the load before the agent, the agent before HAProxy and the upstreams.
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function startHaproxy(logPort?: number): Promise<HaproxyInstance> {
    const haproxy = await HaproxyInstance.start({ servers: [{ version: 'v1', upstream: v1.url }, { version: 'v2', upstream: v2.url }], backend: 'shop', logPort });
    closers.push(() => haproxy.stop());
    return haproxy;
  }


  /** An agent told where HAProxy's configuration is, a migration routing through `haproxy`, load on its frontend, the step started. */
  async function canaryThrough(haproxy: HaproxyInstance, env: Record<string, string>, steps: number[]): Promise<{ harness: ApiAgentHarness; migration: RecordedMigration; load: LoadGenerator }> {
    const harness = await ApiAgentHarness.start({ BASCULE_API_HAPROXY_CONFIG: haproxy.configPath, ...env });
    closers.push(() => harness.stop());
    const migration = await harness.plan({
      service: 'shop',
      router: { kind: 'haproxy', socket: haproxy.adminSocket, backend: 'shop' },
      from: { version: 'v1', upstream: v1.url, openapi: shopDocument('1.0') },
      to: { version: 'v2', upstream: v2.url, openapi: shopDocument('1.0') },
      canary: { steps, interval: '1s' },
    });
    const load = LoadGenerator.start(haproxy.url, { concurrency: 16 });
    closers.push(() => load.stop());
    await harness.startStep(migration);
    return { harness, migration, load };
  }

  it('judged on HAProxy request logs: walks to 100 %, then api.rollback puts 100 % back on v1, a reload keeping it', async () => {
    const [logPort] = await freePorts(1);
    const haproxy = await startHaproxy(logPort);
    const { harness, migration, load } = await canaryThrough(haproxy, { BASCULE_API_HAPROXY_LOG_LISTEN: `127.0.0.1:${logPort}` }, [5, 25, 50, 100]);

    const promoted = await harness.waitForEvent(migration, 'ApiStepPromoted');
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual({ v1: 0, v2: 100 });
    expect(dataOf<MessageData<typeof ApiStepPromoted>>(promoted, 'ApiStepPromoted')[0].shares).toEqual({ v1: 0, v2: 100 });
    const judged = dataOf<Judged>(promoted, 'ApiCanaryJudged');
    expect(judged.map((window) => window.canaryStep)).toEqual([0, 1, 2, 3]);
    expect(judged.map((window) => window.verdict)).not.toContain('fail');
    // The request logs give per-request latency: the windows with traffic on both sides are judged on it.
    expect(judged.some((window) => window.verdict === 'pass' && /^latency: median .* p [<=]/.test(window.reasons[0]))).toBe(true);
    expect(judged[2].reasons[2]).toBe('contract: not checked: this router does not sample responses');

    await harness.rollBack(migration);
    const rolledBack = await harness.waitForEvent(migration, 'ApiStepRolledBack', 15_000);
    expect(dataOf<MessageData<typeof ApiStepRolledBack>>(rolledBack, 'ApiStepRolledBack')[0].shares).toEqual({ v1: 100, v2: 0 });
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual({ v1: 100, v2: 0 });
    await load.more(100);
    const results = await load.stop();
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    // Saved to HAProxy's server-state file: a reload does not bring the canary back.
    await haproxy.reload();
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual({ v1: 100, v2: 0 });
  });

  it('without a log receiver: judged on HAProxy 5xx counters, latency not judged, still promoted', async () => {
    const haproxy = await startHaproxy();
    const { harness, migration } = await canaryThrough(haproxy, {}, [50, 100]);
    const promoted = await harness.waitForEvent(migration, 'ApiStepPromoted');
    expect(await haproxy.weightsOf(['v1', 'v2'])).toEqual({ v1: 0, v2: 100 });
    const [half] = dataOf<Judged>(promoted, 'ApiCanaryJudged');
    expect(half.verdict).toBe('pass');
    expect(half.reasons[0]).toMatch(/^latency: not judged/);
    expect(half.reasons[1]).toMatch(/^errors: failure rate 0 % vs old version 0 %/);
    expect(half.traffic.map((traffic) => [traffic.version, traffic.medianLatencyMs])).toEqual([
      ['v1', null],
      ['v2', null],
    ]);
    expect(half.traffic.every((traffic) => traffic.requests >= 30)).toBe(true);
  });
});
