import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '@bascule/testing';
import { stringify } from 'yaml';

/** Scrapes and rule evaluations once a second, so a change in the target shows within a few seconds. */
const SCRAPE_INTERVAL = '1s';
/**
 * Prometheus' discovery manager hands new targets to the scrape manager at most every 5 s, so the
 * first scrape comes 5–6 s after start; 30 s leaves room for a loaded machine.
 */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

interface TargetsResponse {
  data?: { activeTargets: Array<{ scrapeUrl: string; health: 'up' | 'down' | 'unknown'; lastError: string }> };
}

/**
 * A `prometheus` server of the test's own (the Debian package's binary, `.ci/run` installs it): its
 * config and TSDB in a temporary directory, its own port, scraping one target every second.
 */
export class OwnPrometheus {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts it and waits until it is ready and has scraped `target` (`host:port`, serving `/metrics`) once. */
  static async start(target: string): Promise<OwnPrometheus> {
    const [port] = await freePorts(1);
    const dir = mkdtempSync(join(tmpdir(), 'bascule-prometheus-'));
    const config = {
      global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
      scrape_configs: [{ job_name: 'app', static_configs: [{ targets: [target] }] }],
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const log = openSync(join(dir, 'prometheus.log'), 'w');
    const child = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const server = new OwnPrometheus(port, dir, child);
    try {
      await server.waitUntilScraping(target);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** SIGTERM (SIGKILL if it lingers), then the config, TSDB and log are removed. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilScraping(target: string): Promise<void> {
    let spawnError: Error | undefined;
    this.child.once('error', (error) => (spawnError = error));
    const deadline = Date.now() + START_TIMEOUT_MS;
    let lastSeen = 'not ready';
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`could not run prometheus (install the Debian package "prometheus"): ${spawnError.message}`);
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}: ${this.logTail()}`);
      lastSeen = await this.scrapeState(target);
      if (lastSeen === 'up') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`prometheus on port ${this.port} did not scrape ${target} within ${START_TIMEOUT_MS} ms (${lastSeen}): ${this.logTail()}`);
  }

  /** 'up' once `/-/ready` answers 200 and the target's last scrape succeeded; what is missing otherwise. */
  private async scrapeState(target: string): Promise<string> {
    try {
      const ready = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (ready.status !== 200) return `/-/ready answers ${ready.status}`;
      const targets = (await (await fetch(`${this.url}/api/v1/targets`, { signal: AbortSignal.timeout(1_000) })).json()) as TargetsResponse;
      const found = targets.data?.activeTargets.find((active) => new URL(active.scrapeUrl).host === target);
      if (!found) return `${target} is not among the active targets yet`;
      return found.health === 'up' ? 'up' : `${target} is ${found.health}${found.lastError ? `: ${found.lastError}` : ''}`;
    } catch (error) {
      return `not answering: ${(error as Error).message}`;
    }
  }

  private logTail(): string {
    try {
      return readFileSync(join(this.dir, 'prometheus.log'), 'utf8').trim().split('\n').slice(-5).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
