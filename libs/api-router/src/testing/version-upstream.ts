import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePorts } from '@bascule/testing';

export interface UpstreamBehaviour {
  /** Delay before answering, ms (default 0). */
  latencyMs?: number;
  /** Status to answer (default 200). */
  status?: number;
  /** Extra JSON fields in every answer. */
  extra?: Record<string, unknown>;
}

/** What a test upstream answers: its version and an echo of the request it got. */
export interface UpstreamAnswer {
  version: string;
  method: string;
  url: string;
  host: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  [extra: string]: unknown;
}

/**
 * A real HTTP server standing in for one version of a service: answers JSON naming its version
 * (also in `x-version`), echoing the request, after a configurable latency and with a
 * configurable status.
 */
export class VersionUpstreamServer {
  requests = 0;

  private constructor(
    readonly version: string,
    readonly port: number,
    private readonly server: Server,
    private behaviour: UpstreamBehaviour,
  ) {}

  static async start(version: string, behaviour: UpstreamBehaviour = {}): Promise<VersionUpstreamServer> {
    const [port] = await freePorts(1);
    const server = createServer();
    // Longer than any test, so a pooled keep-alive connection is never closed under a router mid-test.
    server.keepAliveTimeout = 120_000;
    const upstream = new VersionUpstreamServer(version, port, server, behaviour);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => upstream.answer(request, response));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  behave(behaviour: UpstreamBehaviour): void {
    this.behaviour = behaviour;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    this.requests += 1;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { latencyMs = 0, status = 200, extra = {} } = this.behaviour;
      const answer: UpstreamAnswer = {
        ...extra,
        version: this.version,
        method: request.method ?? '',
        url: request.url ?? '',
        host: request.headers.host,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const body = JSON.stringify(answer);
      setTimeout(() => {
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-version': this.version });
        response.end(body);
      }, latencyMs);
    });
  }
}

/** The URL of a port nobody listens on (claimed, never bound): an upstream that is down. */
export async function downUpstreamUrl(): Promise<string> {
  const [port] = await freePorts(1);
  return `http://127.0.0.1:${port}`;
}
