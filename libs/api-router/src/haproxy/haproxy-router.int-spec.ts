import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { freePorts } from '@bascule/testing';
import { downUpstreamUrl, HaproxyInstance, LoadGenerator, VersionUpstreamServer, waitUntil, type UpstreamBehaviour } from '../testing';
import { planWeightChanges } from '../traffic/traffic-shares';
import { HaproxyRouter, type HaproxyRouterOptions } from './haproxy-router';

describe('HaproxyRouter (real HAProxy 2.6)', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(
    upstreams: { v1?: UpstreamBehaviour; v2?: UpstreamBehaviour | 'down' } = {},
    options: Partial<HaproxyRouterOptions> & { logs?: boolean } = {},
  ): Promise<{ haproxy: HaproxyInstance; router: HaproxyRouter; commands: string[] }> {
    const v1 = await VersionUpstreamServer.start('v1', upstreams.v1);
    cleanups.push(() => v1.close());
    let v2Url: string;
    if (upstreams.v2 === 'down') v2Url = await downUpstreamUrl();
    else {
      const v2 = await VersionUpstreamServer.start('v2', upstreams.v2);
      cleanups.push(() => v2.close());
      v2Url = v2.url;
    }
    const [logPort] = options.logs ? await freePorts(1) : [undefined];
    const haproxy = await HaproxyInstance.start({ servers: [{ version: 'v1', upstream: v1.url }, { version: 'v2', upstream: v2Url }], logPort });
    cleanups.push(() => haproxy.stop());
    const commands: string[] = [];
    const router = await HaproxyRouter.connect({
      socket: haproxy.adminSocket,
      backend: haproxy.backend,
      versions: ['v1', 'v2'],
      serverStateFile: haproxy.serverStateFile,
      logReceiver: logPort ? { listen: `127.0.0.1:${logPort}` } : undefined,
      onCommand: (command) => commands.push(command),
      ...options,
    });
    cleanups.push(() => router.close());
    return { haproxy, router, commands };
  }

  /** `count` requests one after another on one keep-alive connection; the versions that answered. */
  async function versionsServed(url: string, count: number): Promise<Record<string, number>> {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const served: Record<string, number> = {};
    for (let i = 0; i < count; i++) {
      const version = await new Promise<string>((resolve, reject) => {
        request(url, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(String(response.headers['x-version'] ?? response.statusCode)));
        })
          .on('error', reject)
          .end();
      });
      served[version] = (served[version] ?? 0) + 1;
    }
    agent.destroy();
    return served;
  }

  it('serves 95/5, then 75/25, then 0/100, within one request per 100 of each share', async () => {
    const { haproxy, router } = await setup();
    // HAProxy's roundrobin (fwrr) is deterministic, but a weight change keeps its position in the
    // weight cycle, so a window of whole cycles may start mid-cycle: off by at most one pick per
    // server per 100 requests. Measured on this HAProxy: 9/10, 50, 200 for the windows below.
    const steps = [
      { shares: { v1: 95, v2: 5 }, v2: 10 },
      { shares: { v1: 75, v2: 25 }, v2: 50 },
      { shares: { v1: 0, v2: 100 }, v2: 200 },
    ];
    const total = { v1: 0, v2: 0 };
    for (const step of steps) {
      await router.setWeights(step.shares);
      const served = await versionsServed(haproxy.url, 200);
      expect(Math.abs((served.v2 ?? 0) - step.v2)).toBeLessThanOrEqual(2);
      expect((served.v1 ?? 0) + (served.v2 ?? 0)).toBe(200);
      total.v1 += served.v1 ?? 0;
      total.v2 += served.v2 ?? 0;
    }
    expect(await router.weights()).toEqual({ v1: 0, v2: 100 });
    expect(await router.stats()).toMatchObject({ v1: { requests: total.v1, serverErrors: 0 }, v2: { requests: total.v2, serverErrors: 0 } });
  });

  it('under continuous keep-alive load, goes to 100 % new and back with no failed request and nothing on new afterwards', async () => {
    const { haproxy, router } = await setup();
    const load = LoadGenerator.start(haproxy.url, { concurrency: 8 });
    cleanups.push(async () => void (await load.stop()));

    await load.more(300);
    await router.setWeights({ v1: 0, v2: 100 });
    await load.more(300);
    await router.setWeights({ v1: 100, v2: 0 });
    const rolledBackAt = performance.now();
    await load.more(600);
    const results = await load.stop();

    expect(load.failures()).toEqual([]);
    expect(results.some((result) => result.version === 'v2')).toBe(true);
    expect(results.filter((result) => result.startedAt > rolledBackAt && result.version !== 'v1')).toEqual([]);
  });

  it('raises the growing weight before lowering the shrinking one, so no moment has both at 0', async () => {
    const { router, commands } = await setup();
    const sequence = [
      { v1: 0, v2: 100 },
      { v1: 100, v2: 0 },
      { v1: 95, v2: 5 },
      { v1: 0, v2: 100 },
    ];
    for (const shares of sequence) await router.setWeights(shares);

    const sets = commands.filter((command) => command.startsWith('set server'));
    expect(sets.slice(0, 4)).toEqual(['set server app/v2 weight 100', 'set server app/v1 weight 0', 'set server app/v1 weight 100', 'set server app/v2 weight 0']);
    // Replay every command HAProxy received on the weights it started with.
    const weights: Record<string, number> = { v1: 100, v2: 0 };
    for (const command of sets) {
      const [, server, weight] = /^set server app\/(\S+) weight (\d+)$/.exec(command) ?? [];
      weights[server] = Number(weight);
      expect(weights.v1 + weights.v2).toBeGreaterThan(0);
    }
    expect(sets).toHaveLength(sequence.flatMap((_, index) => planWeightChanges(index === 0 ? { v1: 100, v2: 0 } : sequence[index - 1], sequence[index])).length);
    expect(await router.weights()).toEqual({ v1: 0, v2: 100 });
  });

  it("counts the 503 HAProxy sends for a down server as that version's 5xx, in counters and samples", async () => {
    const { haproxy, router } = await setup({ v2: 'down' }, { logs: true });
    await router.setWeights({ v1: 50, v2: 50 });

    // Few requests: HAProxy retries a refused connection 3 times, 1 s apart, before its 503.
    const served = await versionsServed(haproxy.url, 6);
    const stats = await waitUntil('6 request logs', async () => {
      const current = await router.stats();
      return (current.v1.latencyMs?.count ?? 0) + (current.v2.latencyMs?.count ?? 0) === 6 ? current : undefined;
    });

    // roundrobin's phase after the change decides 3/3 or 4/2; what counts is that every 503 is v2's.
    expect(Object.keys(served).sort()).toEqual(['503', 'v1']);
    expect(stats.v1).toMatchObject({ requests: served.v1, serverErrors: 0 });
    expect(stats.v2).toMatchObject({ requests: served['503'], serverErrors: served['503'] });
    expect((await router.drainSamples()).v2.statuses).toEqual(Array(served['503']).fill(503));
  });

  it("drains each version's latencies from HAProxy's request logs (20 ms vs 40 ms upstreams) and resets", async () => {
    const { haproxy, router } = await setup({ v1: { latencyMs: 20 }, v2: { latencyMs: 40 } }, { logs: true });
    await router.setWeights({ v1: 50, v2: 50 });

    const served = await versionsServed(haproxy.url, 20);
    await waitUntil('20 request logs', async () => {
      const stats = await router.stats();
      return (stats.v1.latencyMs?.count ?? 0) + (stats.v2.latencyMs?.count ?? 0) === 20 ? stats : undefined;
    });
    const samples = await router.drainSamples();

    expect(samples.v1.latencyMs).toHaveLength(served.v1);
    expect(samples.v2.latencyMs).toHaveLength(served.v2);
    expect(served.v2).toBeGreaterThanOrEqual(9);
    expect(samples.v1.statuses).toEqual(Array(served.v1).fill(200));
    // HAProxy logs whole milliseconds (Ta); a timer may fire a fraction early, hence 19 and 39.
    expect(Math.min(...samples.v1.latencyMs)).toBeGreaterThanOrEqual(19);
    expect(Math.min(...samples.v2.latencyMs)).toBeGreaterThanOrEqual(39);
    expect((await router.stats()).v2.latencyMs?.p50).toBeGreaterThanOrEqual(39);
    expect(await router.drainSamples()).toEqual({ v1: { latencyMs: [], statuses: [] }, v2: { latencyMs: [], statuses: [] } });
  });
});
