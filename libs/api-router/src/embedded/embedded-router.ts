import { pipeline } from 'node:stream';
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import replyFrom from '@fastify/reply-from';
import { parseListenAddress, type ListenAddress } from '../listen-address';
import type { RouterAdapter, TrafficShares, VersionSamples, VersionTrafficStats, VersionUpstream } from '../router-adapter';
import { SmoothWeightedRoundRobin } from '../traffic/smooth-weighted-round-robin';
import { DEFAULT_MAX_SAMPLES_PER_DRAIN, TrafficRecorder } from '../traffic/traffic-recorder';
import { resolveShares } from '../traffic/traffic-shares';
import type { ResponseSampling } from './response-sample';
import { responseTap, shouldSample } from './response-tap';
import { clientResponseHeaders, upstreamRequestHeaders } from './upstream-headers';

export interface EmbeddedRouterOptions {
  /** host:port to listen on, e.g. 127.0.0.1:8080. */
  listen: string;
  versions: readonly VersionUpstream[];
  /** Shares at start (default: all traffic to the first version, the one being replaced). */
  initialShares?: TrafficShares;
  /** Time to connect to an upstream and then for its response headers (default 30 s); past it the client gets 504. */
  upstreamTimeoutMs?: number;
  sampling?: ResponseSampling;
  maxSamplesPerDrain?: number;
}

const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * An HTTP reverse proxy in this process (fastify + @fastify/reply-from over undici's keep-alive
 * pools) that picks a version per request by smooth weighted round-robin. Weights live in memory:
 * `setWeights` swaps the balancer, so the next request already follows the new shares.
 */
export class EmbeddedRouter implements RouterAdapter {
  readonly kind = 'embedded';
  private readonly upstreams: ReadonlyMap<string, string>;
  private readonly versionOf = new WeakMap<FastifyRequest, string>();
  private readonly recorder: TrafficRecorder;
  private shares: TrafficShares;
  private balancer: SmoothWeightedRoundRobin;

  private constructor(
    private readonly app: FastifyInstance,
    private readonly options: EmbeddedRouterOptions,
  ) {
    this.upstreams = new Map(options.versions.map(({ version, upstream }) => [version, new URL(upstream).origin]));
    const versions = [...this.upstreams.keys()];
    this.shares = resolveShares(options.initialShares ?? { [versions[0]]: 100 }, versions);
    this.balancer = new SmoothWeightedRoundRobin(this.shares);
    this.recorder = new TrafficRecorder(versions, options.maxSamplesPerDrain ?? DEFAULT_MAX_SAMPLES_PER_DRAIN);
  }

  /** Starts listening; resolves once connections are accepted. */
  static async start(options: EmbeddedRouterOptions): Promise<EmbeddedRouter> {
    const listen = parseListenAddress(options.listen);
    const timeout = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    const app = fastify({ logger: false, forceCloseConnections: 'idle' });
    const router = new EmbeddedRouter(app, options);
    // Retries are off: a retried request would hide the failure from this version's 5xx count and
    // stretch its latency; the canary's judge is what must see it.
    await app.register(replyFrom, {
      undici: { connections: 128, pipelining: 1, connectTimeout: timeout, headersTimeout: timeout, bodyTimeout: timeout },
      disableRequestLogging: true,
      destroyAgent: true,
    });
    // Bodies pass through as streams, untouched and unparsed, whatever their type or size.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    app.all('*', (request, reply) => router.forward(request, reply));
    app.addHook('onResponse', async (request, reply) => router.recordResponse(request, reply));
    await app.listen({ host: listen.host, port: listen.port });
    return router;
  }

  /** Where the router listens (the real port when `listen` asked for port 0). */
  get address(): ListenAddress {
    const address = this.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('embedded router is not listening');
    return { host: address.address, port: address.port };
  }

  async setWeights(shares: TrafficShares): Promise<void> {
    // One reference swap: no request can see a mix of old and new weights, so the raise-before-
    // lower order the HAProxy adapter needs holds trivially here.
    const resolved = resolveShares(shares, [...this.upstreams.keys()]);
    this.balancer = new SmoothWeightedRoundRobin(resolved);
    this.shares = resolved;
  }

  async weights(): Promise<TrafficShares> {
    return { ...this.shares };
  }

  async stats(): Promise<Record<string, VersionTrafficStats>> {
    return this.recorder.stats();
  }

  async drainSamples(): Promise<Record<string, VersionSamples>> {
    return this.recorder.drain();
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  private forward(request: FastifyRequest, reply: FastifyReply): void {
    const version = this.balancer.pick();
    const upstream = version === undefined ? undefined : this.upstreams.get(version);
    if (version === undefined || upstream === undefined) {
      void reply.code(503).send({ code: 'NO_VERSION_ROUTED', message: 'every version has weight 0' });
      return;
    }
    this.versionOf.set(request, version);
    reply.from(undefined, {
      getUpstream: () => upstream,
      retryDelay: () => null,
      rewriteRequestHeaders: (original, headers) => upstreamRequestHeaders(original.headers, headers),
      rewriteHeaders: (headers) => clientResponseHeaders(headers),
      onError: (failed, { error }) => {
        const timedOut = /TIMEOUT/.test((error as { code?: string }).code ?? '');
        void failed
          .code(timedOut ? 504 : 502)
          .send({ code: timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE', message: `version ${version} did not answer` });
      },
      onResponse: (_request, upstreamReply, response) => {
        const sampling = this.options.sampling;
        const contentType = String(upstreamReply.getHeader('content-type') ?? '');
        if (!sampling || !shouldSample(sampling, contentType)) {
          void upstreamReply.send(response.stream);
          return;
        }
        const tap = responseTap(sampling, { version, method: request.method, path: request.url.split('?')[0], status: upstreamReply.statusCode, contentType });
        // pipeline destroys both streams if either fails, so a client abort still releases the upstream socket.
        pipeline(response.stream, tap, () => undefined);
        void upstreamReply.send(tap);
      },
    });
  }

  private recordResponse(request: FastifyRequest, reply: FastifyReply): void {
    const version = this.versionOf.get(request);
    if (version !== undefined) this.recorder.record(version, reply.statusCode, reply.elapsedTime);
  }
}
