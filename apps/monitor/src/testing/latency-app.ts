import { createServer, type Server } from 'node:http';
import { freePorts } from '@bascule/testing';
import { Counter, Histogram, Registry } from 'prom-client';

/** Around the 100 ms requests the tests start from, so histogram_quantile interpolates in narrow buckets. */
export const LATENCY_BUCKETS = [0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.5, 1];
/** One request every 5 ms: a few hundred per 5 s rate window, so the quantile barely moves between windows. */
const REQUEST_EVERY_MS = 5;

/**
 * An application exposing `/metrics` in Prometheus' text format, as a service under migration does:
 * a request-duration histogram and a request counter, fed by simulated requests whose latency is
 * `latencyMs` ± 10 % (uniform), which the test sets to play a regression.
 */
export class LatencyApp {
  /** What every simulated request takes, before its ± 10 % noise. */
  latencyMs: number;
  private readonly traffic: NodeJS.Timeout;

  private constructor(
    readonly port: number,
    private readonly server: Server,
    histogram: Histogram,
    requests: Counter,
    latencyMs: number,
  ) {
    this.latencyMs = latencyMs;
    this.traffic = setInterval(() => {
      histogram.observe((this.latencyMs * (0.9 + Math.random() * 0.2)) / 1000);
      requests.inc();
    }, REQUEST_EVERY_MS);
  }

  /** `host:port` as a scrape target. */
  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(latencyMs: number): Promise<LatencyApp> {
    // A registry of its own: prom-client's default one is process-wide and other tests' metrics would show.
    const registry = new Registry();
    const histogram = new Histogram({ name: 'app_request_duration_seconds', help: 'Request duration', buckets: LATENCY_BUCKETS, registers: [registry] });
    const requests = new Counter({ name: 'app_requests_total', help: 'Requests served', registers: [registry] });
    const server = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end('not found');
        return;
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    const [port] = await freePorts(1);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return new LatencyApp(port, server, histogram, requests, latencyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.traffic);
    // Prometheus keeps its scrape connection alive; without this, close() waits for it to time out.
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
