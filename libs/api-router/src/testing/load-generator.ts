import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One request the load generator sent, with when it started and ended (performance.now() ms). */
export interface LoadResult {
  startedAt: number;
  finishedAt: number;
  /** The `x-version` header of the answer; null when the request failed before an answer. */
  version: string | null;
  /** 0 when the request failed before an answer (connection reset, refused). */
  status: number;
  error?: string;
}

export interface LoadOptions {
  /** Requests in flight at once, each worker on its own keep-alive connection (default 4). */
  concurrency?: number;
  path?: string;
}

/**
 * Keeps `concurrency` GET requests in flight against `url` over keep-alive connections until
 * stopped, recording every request. A failure is anything but a 2xx answer.
 */
export class LoadGenerator {
  readonly results: LoadResult[] = [];
  private running = true;
  private readonly agent: Agent;
  private readonly workers: Array<Promise<void>>;

  private constructor(
    private readonly url: URL,
    options: LoadOptions,
  ) {
    const concurrency = options.concurrency ?? 4;
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    this.workers = Array.from({ length: concurrency }, () => this.work(options.path ?? '/load'));
  }

  static start(url: string, options: LoadOptions = {}): LoadGenerator {
    return new LoadGenerator(new URL(url), options);
  }

  /** Requests that did not get a 2xx answer. */
  failures(): LoadResult[] {
    return this.results.filter((result) => result.status < 200 || result.status > 299);
  }

  /** Resolves once `count` more requests have finished than when called. */
  async more(count: number): Promise<void> {
    const target = this.results.length + count;
    while (this.results.length < target) {
      if (!this.running) throw new Error('load generator stopped');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async stop(): Promise<LoadResult[]> {
    this.running = false;
    await Promise.all(this.workers);
    this.agent.destroy();
    return this.results;
  }

  private async work(path: string): Promise<void> {
    while (this.running) this.results.push(await this.once(path));
  }

  private once(path: string): Promise<LoadResult> {
    const startedAt = performance.now();
    return new Promise((resolve) => {
      const failed = (error: Error) => resolve({ startedAt, finishedAt: performance.now(), version: null, status: 0, error: error.message });
      const outgoing = request({ host: this.url.hostname, port: this.url.port, path, agent: this.agent }, (response) => {
        response.resume();
        response.on('error', failed);
        response.on('end', () => {
          const version = response.headers['x-version'];
          resolve({ startedAt, finishedAt: performance.now(), version: typeof version === 'string' ? version : null, status: response.statusCode ?? 0 });
        });
      });
      outgoing.on('error', failed);
      outgoing.end();
    });
  }
}
