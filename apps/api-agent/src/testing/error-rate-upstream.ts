import { createServer, type Server } from 'node:http';
import { freePorts } from '@bascule/testing';

/**
 * A version of the service that answers `500` to every `failEvery`-th request and `200` to the
 * others, after `latencyMs`, with the same JSON and `x-version` header as VersionUpstreamServer
 * (which answers one status to every request). Evenly spread, so every window sees the same rate.
 */
export class ErrorRateUpstream {
  private count = 0;

  private constructor(
    readonly version: string,
    readonly port: number,
    private readonly server: Server,
  ) {}

  static async start(version: string, options: { failEvery: number; latencyMs: number }): Promise<ErrorRateUpstream> {
    const [port] = await freePorts(1);
    const server = createServer();
    server.keepAliveTimeout = 120_000;
    const upstream = new ErrorRateUpstream(version, port, server);
    server.on('request', (request, response) => {
      request.resume();
      request.on('end', () => {
        const status = ++upstream.count % options.failEvery === 0 ? 500 : 200;
        const body = JSON.stringify({ version });
        setTimeout(() => {
          response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-version': version });
          response.end(body);
        }, options.latencyMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
