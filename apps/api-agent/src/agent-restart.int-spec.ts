import type { ApiCanaryJudged, ApiTrafficShifted, MessageData } from '@bascule/contracts';
import { LoadGenerator, VersionUpstreamServer } from '@bascule/api-router/testing';
import { waitFor } from '@bascule/plan-binding/testing';
import { freePorts } from '@bascule/testing';
import { RouteTable } from './routing/route-table.service';
import { ApiAgentHarness, dataOf } from './testing/api-agent-harness';
import { requestsThrough, waitForListening } from './testing/router-clients';
import { shopDocument } from './testing/shop-documents';

jest.setTimeout(120_000);

describe('api-agent (real Postgres, NATS and HTTP): restarts', () => {
  let harness: ApiAgentHarness;
  let v1: VersionUpstreamServer;
  let v2: VersionUpstreamServer;
  let load: LoadGenerator | undefined;

  beforeEach(async () => {
    harness = await ApiAgentHarness.start();
  });

  afterEach(async () => {
    await load?.stop();
    load = undefined;
    await harness?.stop();
    await v1?.close();
    await v2?.close();
  });

  async function plannedCanary(interval: string, v2Extra: Record<string, unknown> = {}) {
    v1 = await VersionUpstreamServer.start('v1', { latencyMs: 5 });
    v2 = await VersionUpstreamServer.start('v2', { latencyMs: 5, extra: v2Extra });
    const [port] = await freePorts(1);
    const migration = await harness.plan({
      service: 'shop',
      router: { kind: 'embedded', listen: `127.0.0.1:${port}` },
      from: { version: 'v1', upstream: v1.url, openapi: shopDocument('1.0') },
      to: { version: 'v2', upstream: v2.url, openapi: shopDocument('1.0') },
      canary: { steps: [5, 25, 50, 100], interval },
    });
    return { port, migration, url: `http://127.0.0.1:${port}` };
  }

  it('stopped mid-canary, a new agent serves at the recorded shares, resumes at the recorded step and finishes; once promoted, a restarted agent serves 0/100', async () => {
    const { port, migration, url } = await plannedCanary('2s');
    await harness.startStep(migration);
    await waitForListening(port);
    load = LoadGenerator.start(url, { concurrency: 8 });
    await waitFor('the canary at 25 %', async () =>
      dataOf<MessageData<typeof ApiTrafficShifted>>(await migration.agentEvents(), 'ApiTrafficShifted').some((shift) => shift.canaryStep === 1) ? true : undefined,
    );
    await load.stop();
    load = undefined;
    await harness.stopAgent();
    const atStop = await migration.agentEvents();
    expect(dataOf<MessageData<typeof ApiCanaryJudged>>(atStop, 'ApiCanaryJudged').map((window) => window.canaryStep)).toEqual([0]);
    expect(atStop.map((event) => event.type)).not.toContain('ApiStepPromoted');

    await harness.startAgent();
    // Routing again before the canary resumes, at the shares recorded last (75/25): both versions answer.
    const resumed = await requestsThrough(url, 200);
    expect(resumed.filter((result) => result.status !== 200)).toEqual([]);
    expect(new Set(resumed.map((result) => result.version))).toEqual(new Set(['v1', 'v2']));

    load = LoadGenerator.start(url, { concurrency: 8 });
    const events = await harness.waitForEvent(migration, 'ApiStepPromoted');
    const results = await load.stop();
    load = undefined;
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const shifts = dataOf<MessageData<typeof ApiTrafficShifted>>(events, 'ApiTrafficShifted').map((shift) => shift.canaryStep);
    // 25 % is shifted again after the restart (its window was cut short), never 5 %.
    expect(shifts).toEqual([0, 1, 1, 2, 3]);
    expect(dataOf<MessageData<typeof ApiCanaryJudged>>(events, 'ApiCanaryJudged').map((window) => window.canaryStep)).toEqual([0, 1, 2, 3]);

    await harness.stopAgent();
    await harness.startAgent();
    const afterRestart = await requestsThrough(url, 100);
    expect(new Set(afterRestart.map((result) => `${result.status} ${result.version}`))).toEqual(new Set(['200 v2']));
  });

  it('a rolled-back step still routes everything to from after a restart', async () => {
    // Bodies that break the new version's contract: the canary fails at its first window.
    const { port, migration, url } = await plannedCanary('1s', { total: 'twelve' });
    await harness.startStep(migration);
    await waitForListening(port);
    load = LoadGenerator.start(url, { concurrency: 8 });
    await harness.waitForEvent(migration, 'ApiStepFailed');
    await harness.rollBack(migration);
    await harness.waitForEvent(migration, 'ApiStepRolledBack', 15_000);
    await load.stop();
    load = undefined;
    // The route table says where the service's traffic goes, and which step put it there.
    const route = { address: `127.0.0.1:${port}`, service: 'shop', kind: 'embedded', weights: { v1: 100, v2: 0 }, migrationId: migration.migrationId, stepId: 'shop-v2' };
    expect(await harness.agent.get(RouteTable).all()).toEqual([expect.objectContaining(route)]);

    // Emptied by hand (or lost): the next agent rebuilds it from the migration streams as it restores the router.
    await harness.pool.query('DELETE FROM bascule_api.routes');
    await harness.stopAgent();
    await harness.startAgent();
    expect(await harness.agent.get(RouteTable).all()).toEqual([expect.objectContaining(route)]);
    const afterRestart = await requestsThrough(url, 100);
    expect(new Set(afterRestart.map((result) => `${result.status} ${result.version}`))).toEqual(new Set(['200 v1']));
  });
});
