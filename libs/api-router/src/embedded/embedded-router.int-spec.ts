import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { freePorts } from '@bascule/testing';
import { downUpstreamUrl, LoadGenerator, VersionUpstreamServer, type UpstreamAnswer } from '../testing';
import { isInvalidTrafficSharesError } from '../errors';
import { EmbeddedRouter, type EmbeddedRouterOptions } from './embedded-router';
import type { ResponseSample } from './response-sample';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(url: string, options: { method?: string; path?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path ?? '/', url);
    const outgoing = request(target, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

async function versionsServed(url: string, count: number): Promise<Record<string, number>> {
  const served: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const { headers } = await send(url);
    const version = String(headers['x-version']);
    served[version] = (served[version] ?? 0) + 1;
  }
  return served;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('EmbeddedRouter (real HTTP upstreams)', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function upstream(version: string, behaviour: Parameters<typeof VersionUpstreamServer.start>[1] = {}): Promise<VersionUpstreamServer> {
    const server = await VersionUpstreamServer.start(version, behaviour);
    cleanups.push(() => server.close());
    return server;
  }

  async function router(versions: Array<{ version: string; upstream: string }>, options: Partial<EmbeddedRouterOptions> = {}): Promise<{ router: EmbeddedRouter; url: string }> {
    const [port] = await freePorts(1);
    const started = await EmbeddedRouter.start({ listen: `127.0.0.1:${port}`, versions, ...options });
    cleanups.push(() => started.close());
    return { router: started, url: `http://127.0.0.1:${port}` };
  }

  it('forwards method, path, query, body and headers, keeping the client Host', async () => {
    const v1 = await upstream('v1');
    const { url } = await router([{ version: 'v1', upstream: v1.url }]);

    const answer = await send(url, {
      method: 'PATCH',
      path: '/orders/42?expand=lines',
      body: '{"note":"déjà vu"}',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc', host: 'shop.example' },
    });

    expect(answer.status).toBe(200);
    const echoed = JSON.parse(answer.text) as UpstreamAnswer;
    expect(echoed).toMatchObject({ version: 'v1', method: 'PATCH', url: '/orders/42?expand=lines', host: 'shop.example', body: '{"note":"déjà vu"}' });
    expect(echoed.headers['x-request-id']).toBe('abc');
  });

  it('serves 95/5, then 75/25, then 0/100 exactly, as smooth weighted round-robin promises', async () => {
    const v1 = await upstream('v1');
    const v2 = await upstream('v2');
    const { router: embedded, url } = await router([
      { version: 'v1', upstream: v1.url },
      { version: 'v2', upstream: v2.url },
    ]);

    await embedded.setWeights({ v1: 95, v2: 5 });
    expect(await versionsServed(url, 100)).toEqual({ v1: 95, v2: 5 });
    await embedded.setWeights({ v1: 75, v2: 25 });
    expect(await versionsServed(url, 100)).toEqual({ v1: 75, v2: 25 });
    await embedded.setWeights({ v1: 0, v2: 100 });
    expect(await versionsServed(url, 100)).toEqual({ v2: 100 });
    expect(await embedded.weights()).toEqual({ v1: 0, v2: 100 });
    expect(await embedded.stats()).toMatchObject({ v1: { requests: 170, serverErrors: 0 }, v2: { requests: 130, serverErrors: 0 } });
  });

  it('under continuous keep-alive load, goes to 100 % new and back with no failed request and nothing on new afterwards', async () => {
    const v1 = await upstream('v1');
    const v2 = await upstream('v2');
    const { router: embedded, url } = await router([
      { version: 'v1', upstream: v1.url },
      { version: 'v2', upstream: v2.url },
    ]);
    const load = LoadGenerator.start(url, { concurrency: 8 });
    cleanups.push(async () => void (await load.stop()));

    await load.more(200);
    await embedded.setWeights({ v1: 0, v2: 100 });
    await load.more(200);
    await embedded.setWeights({ v1: 100, v2: 0 });
    const rolledBackAt = performance.now();
    await load.more(400);
    const results = await load.stop();

    expect(load.failures()).toEqual([]);
    expect(results.some((result) => result.version === 'v2')).toBe(true);
    expect(results.filter((result) => result.startedAt > rolledBackAt && result.version !== 'v1')).toEqual([]);
  });

  it("counts a down upstream's 502 as that version's 5xx", async () => {
    const v1 = await upstream('v1');
    const { router: embedded, url } = await router([
      { version: 'v1', upstream: v1.url },
      { version: 'v2', upstream: await downUpstreamUrl() },
    ]);
    await embedded.setWeights({ v1: 50, v2: 50 });

    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await send(url)).status);

    expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 502, 502, 502, 502, 502]);
    expect(await embedded.stats()).toMatchObject({ v1: { requests: 5, serverErrors: 0 }, v2: { requests: 5, serverErrors: 5 } });
  });

  it('answers 504 for an upstream slower than the timeout, counted as its 5xx', async () => {
    const v1 = await upstream('v1', { latencyMs: 2_000 });
    const { router: embedded, url } = await router([{ version: 'v1', upstream: v1.url }], { upstreamTimeoutMs: 200 });

    const answer = await send(url);

    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect((await embedded.stats()).v1).toMatchObject({ requests: 1, serverErrors: 1 });
  });

  it("drains each version's latencies since the previous drain (20 ms vs 40 ms upstreams)", async () => {
    const v1 = await upstream('v1', { latencyMs: 20 });
    const v2 = await upstream('v2', { latencyMs: 40 });
    const { router: embedded, url } = await router([
      { version: 'v1', upstream: v1.url },
      { version: 'v2', upstream: v2.url },
    ]);
    await embedded.setWeights({ v1: 50, v2: 50 });
    for (let i = 0; i < 20; i++) await send(url);

    const samples = await embedded.drainSamples();

    expect(samples.v1.latencyMs).toHaveLength(10);
    expect(samples.v2.latencyMs).toHaveLength(10);
    expect(samples.v1.statuses).toEqual(Array(10).fill(200));
    // Timers may fire a fraction of a millisecond early; the gap between the versions is what matters.
    expect(Math.min(...samples.v1.latencyMs)).toBeGreaterThanOrEqual(19);
    expect(Math.min(...samples.v2.latencyMs)).toBeGreaterThanOrEqual(39);
    expect(median(samples.v2.latencyMs)).toBeGreaterThan(median(samples.v1.latencyMs));
    expect((await embedded.stats()).v2.latencyMs?.p50).toBeGreaterThanOrEqual(39);
    expect(await embedded.drainSamples()).toEqual({ v1: { latencyMs: [], statuses: [] }, v2: { latencyMs: [], statuses: [] } });
  });

  it("lets the sampling hook see the new version's JSON body without changing what the client receives", async () => {
    const v1 = await upstream('v1');
    const v2 = await upstream('v2', { status: 201, extra: { order: { id: 7, lines: [1, 2, 3] } } });
    const samples: ResponseSample[] = [];
    const { router: embedded, url } = await router(
      [
        { version: 'v1', upstream: v1.url },
        { version: 'v2', upstream: v2.url },
      ],
      { sampling: { onSample: (sample) => samples.push(sample) } },
    );
    await embedded.setWeights({ v1: 0, v2: 100 });

    const answer = await send(url, { method: 'POST', path: '/orders?dry=1', body: '{}', headers: { 'content-type': 'application/json' } });
    const sample = await waitForSample(samples);

    expect(answer.status).toBe(201);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.text)));
    expect(sample).toEqual({ version: 'v2', method: 'POST', path: '/orders', status: 201, contentType: 'application/json', body: JSON.parse(answer.text) });
    expect(sample.body).toMatchObject({ version: 'v2', order: { id: 7, lines: [1, 2, 3] } });
  });

  it('delivers an over-long body whole to the client and flags it too-large to the hook; a throwing hook changes nothing', async () => {
    const v1 = await upstream('v1', { extra: { padding: 'x'.repeat(5_000) } });
    const samples: ResponseSample[] = [];
    const { url } = await router([{ version: 'v1', upstream: v1.url }], {
      sampling: {
        maxBodyBytes: 1_024,
        onSample: (sample) => {
          samples.push(sample);
          throw new Error('validator bug');
        },
      },
    });

    const first = await send(url);
    const second = await send(url);

    expect((JSON.parse(first.text) as { padding: string }).padding).toHaveLength(5_000);
    expect(second.status).toBe(200);
    expect(await waitForSample(samples)).toMatchObject({ version: 'v1', status: 200, body: undefined, problem: 'too-large' });
  });

  it('refuses shares that do not sum to 100 and keeps the current ones', async () => {
    const v1 = await upstream('v1');
    const v2 = await upstream('v2');
    const { router: embedded } = await router([
      { version: 'v1', upstream: v1.url },
      { version: 'v2', upstream: v2.url },
    ]);

    const refused = await embedded.setWeights({ v1: 0, v2: 0 }).catch((error: unknown) => error);
    expect(isInvalidTrafficSharesError(refused)).toBe(true);
    expect((refused as Error).message).toContain('they sum to 0');
    expect(await embedded.weights()).toEqual({ v1: 100, v2: 0 });
  });
});

async function waitForSample(samples: ResponseSample[]): Promise<ResponseSample> {
  for (let tries = 0; samples.length === 0; tries++) {
    if (tries > 1_000) throw new Error('no sample delivered');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return samples[0];
}
