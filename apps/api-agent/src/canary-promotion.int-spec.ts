import type { ApiCanaryJudged, ApiStepPromoted, ApiTrafficShifted, MessageData } from '@bascule/contracts';
import { LoadGenerator, VersionUpstreamServer } from '@bascule/api-router/testing';
import { METRICS_REGISTRY } from '@bascule/service-kit';
import { freePorts } from '@bascule/testing';
import type { Registry } from 'prom-client';
import { ApiAgentHarness, dataOf } from './testing/api-agent-harness';
import { requestsThrough, waitForListening } from './testing/router-clients';
import { shopDocument } from './testing/shop-documents';

jest.setTimeout(120_000);

describe('api-agent (real Postgres, NATS and HTTP): a canary that passes', () => {
  let harness: ApiAgentHarness;
  let v1: VersionUpstreamServer;
  let v2: VersionUpstreamServer;

  beforeEach(async () => {
    harness = await ApiAgentHarness.start();
    v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    v2 = await VersionUpstreamServer.start('v2', { latencyMs: 5 });
  });

  afterEach(async () => {
    await harness?.stop();
    await v1?.close();
    await v2?.close();
  });

  it('walks 5 → 25 → 50 → 100 on a framework upgrade with the same contract, fails no request, and leaves 0/100', async () => {
    const [port] = await freePorts(1);
    const migration = await harness.plan({
      service: 'shop',
      router: { kind: 'embedded', listen: `127.0.0.1:${port}` },
      from: { version: 'v1', upstream: v1.url, openapi: shopDocument('1.0') },
      to: { version: 'v2', upstream: v2.url, openapi: shopDocument('1.0') },
      canary: { steps: [5, 25, 50, 100], interval: '1s' },
    });
    await harness.startStep(migration);
    await waitForListening(port);
    const load = LoadGenerator.start(`http://127.0.0.1:${port}`, { concurrency: 16 });
    const events = await harness.waitForEvent(migration, 'ApiStepPromoted');
    const results = await load.stop();

    expect(dataOf<MessageData<typeof ApiTrafficShifted>>(events, 'ApiTrafficShifted').map((shift) => [shift.canaryStep, shift.shares])).toEqual([
      [0, { v1: 95, v2: 5 }],
      [1, { v1: 75, v2: 25 }],
      [2, { v1: 50, v2: 50 }],
      [3, { v1: 0, v2: 100 }],
    ]);
    const judged = dataOf<MessageData<typeof ApiCanaryJudged>>(events, 'ApiCanaryJudged');
    expect(judged.map((window) => window.canaryStep)).toEqual([0, 1, 2, 3]);
    expect(judged.map((window) => window.verdict)).not.toContain('fail');
    // With this load every window but perhaps the thin 5 % one has enough of both versions to judge.
    expect(judged.filter((window) => window.verdict === 'pass').length).toBeGreaterThanOrEqual(3);
    expect(judged[1].traffic).toEqual([
      expect.objectContaining({ version: 'v1', requests: expect.any(Number), serverErrors: 0, contractViolations: 0 }),
      expect.objectContaining({ version: 'v2', serverErrors: 0, contractViolations: 0 }),
    ]);
    expect(judged[1].reasons).toEqual([expect.stringMatching(/^latency: median /), expect.stringMatching(/^errors: failure rate 0 %/), expect.stringMatching(/^contract: \d+ sampled responses of v2 matched/)]);
    expect(dataOf<MessageData<typeof ApiStepPromoted>>(events, 'ApiStepPromoted')[0]).toMatchObject({ service: 'shop', shares: { v1: 0, v2: 100 } });
    expect(results.length).toBeGreaterThan(500);
    expect(results.filter((result) => result.status !== 200)).toEqual([]);

    // Promoted: the router keeps serving, everything on v2.
    const after = await requestsThrough(`http://127.0.0.1:${port}`, 100);
    expect(new Set(after.map((result) => `${result.status} ${result.version}`))).toEqual(new Set(['200 v2']));

    const text = await harness.agent.get<Registry>(METRICS_REGISTRY).metrics();
    expect(text).toMatch(/bascule_api_traffic_share_percent\{service="shop",version="v2"\} 100\n/);
    expect(text).toMatch(/bascule_api_traffic_share_percent\{service="shop",version="v1"\} 0\n/);
    expect(text).toMatch(/bascule_api_requests_total\{service="shop",version="v1"\} [1-9]\d*\n/);
    expect(text).toMatch(/bascule_api_requests_total\{service="shop",version="v2"\} [1-9]\d*\n/);
    expect(text).toMatch(/bascule_api_server_errors_total\{service="shop",version="v2"\} 0\n/);
    expect(text).toMatch(/bascule_api_canary_windows_total\{verdict="pass"\} [1-9]/);
  });
});
