import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadLoadResult {
  ok: number;
  failed: number;
  /** Answers per version (the `x-shop-api-version` header). */
  byVersion: Record<string, number>;
  /** Answers of each version after `mark()` was called. */
  byVersionSinceMark: Record<string, number>;
  errors: string[];
}

/**
 * Shop customers reading their orders through the router (`GET /orders/:id`, keep-alive, a few at
 * a time), from the moment the router answers. Every answer but a 2xx or a 404 counts as failed.
 */
export class ReadLoad {
  private running = true;
  private marked = false;
  private readonly agent: Agent;
  private readonly workers: Promise<void>[];
  private readonly result: ReadLoadResult = { ok: 0, failed: 0, byVersion: {}, byVersionSinceMark: {}, errors: [] };

  constructor(
    private readonly url: URL,
    private readonly orders: number,
    clients = 4,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: clients });
    this.workers = Array.from({ length: clients }, () => this.work());
  }

  /** From now on, answers are also counted in `byVersionSinceMark` (e.g. once a rollback moved traffic). */
  mark(): void {
    this.marked = true;
  }

  async stop(): Promise<ReadLoadResult> {
    this.running = false;
    await Promise.all(this.workers);
    this.agent.destroy();
    return this.result;
  }

  private async work(): Promise<void> {
    // Until the router listens there is nothing to read through: wait for it, counting nothing.
    while (this.running && !(await this.once(false))) await sleep(100);
    while (this.running) await this.once(true);
  }

  private once(counted: boolean): Promise<boolean> {
    const id = 1 + Math.floor(Math.random() * this.orders);
    return new Promise((resolve) => {
      const failed = (message: string) => {
        if (counted) {
          this.result.failed++;
          if (this.result.errors.length < 5 && !this.result.errors.includes(message)) this.result.errors.push(message);
        }
        resolve(false);
      };
      const outgoing = request({ host: this.url.hostname, port: this.url.port, path: `/orders/${id}`, agent: this.agent }, (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status !== 404 && (status < 200 || status > 299)) return failed(`HTTP ${status}`);
          const version = String(response.headers['x-shop-api-version'] ?? 'unknown');
          this.result.ok++;
          this.result.byVersion[version] = (this.result.byVersion[version] ?? 0) + 1;
          if (this.marked) this.result.byVersionSinceMark[version] = (this.result.byVersionSinceMark[version] ?? 0) + 1;
          resolve(true);
        });
        response.on('error', (error) => failed(error.message));
      });
      outgoing.on('error', (error) => failed(error.message));
      outgoing.end();
    });
  }
}
