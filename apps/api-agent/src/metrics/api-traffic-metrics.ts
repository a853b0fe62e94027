import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RouterAdapter, VersionTrafficStats } from '@bascule/api-router';
import { METRICS_REGISTRY } from '@bascule/service-kit';
import { Counter, Gauge, type Registry } from 'prom-client';

type Labels = 'service' | 'version';

/** A router this process runs, as `/metrics` reads it. */
export interface MeteredRouter {
  service: string;
  adapter: RouterAdapter;
}

/** Scrapes that follow each other this closely share one read of the routers' counters. */
const STATS_REUSE_MS = 250;

/**
 * The api-agent on `/metrics`: per `{service, version}` the requests and 5xx answers its routers
 * saw, the responses that broke the new version's OpenAPI document, and the share of traffic each
 * version gets now, plus the judged canary windows by verdict. Labels carry no migration id: a
 * service's series stay the same series from one migration to the next.
 *
 * Request and 5xx counts are the routers' own cumulative counters, read at scrape time and added as
 * deltas, so they keep counting after a promotion while the embedded router serves on.
 */
@Injectable()
export class ApiTrafficMetrics {
  private readonly logger = new Logger(ApiTrafficMetrics.name);
  private readonly routers = new Set<MeteredRouter>();
  private readonly counted = new WeakMap<MeteredRouter, Map<string, { requests: number; serverErrors: number }>>();
  private readonly requests: Counter<Labels>;
  private readonly serverErrors: Counter<Labels>;
  private readonly violations: Counter<Labels>;
  private readonly shares: Gauge<Labels>;
  private readonly windows: Counter<'verdict'>;
  private refreshing: { at: number; done: Promise<void> } | null = null;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    const labelNames = ['service', 'version'] as const;
    const collect = () => this.refresh();
    this.requests = new Counter({ name: 'bascule_api_requests_total', help: 'Requests the api-agent routed (or saw HAProxy route) to a version.', labelNames, registers, collect });
    this.serverErrors = new Counter({ name: 'bascule_api_server_errors_total', help: "5xx answers of a version, the router's own 502/504 included.", labelNames, registers, collect });
    this.violations = new Counter({ name: 'bascule_api_contract_violations_total', help: "Sampled responses of a canary's new version that broke its OpenAPI document.", labelNames, registers });
    this.shares = new Gauge({ name: 'bascule_api_traffic_share_percent', help: 'Percent of the service\'s requests each version gets now.', labelNames, registers });
    this.windows = new Counter({ name: 'bascule_api_canary_windows_total', help: 'Canary windows judged, by verdict (pass, fail, insufficient).', labelNames: ['verdict'], registers });
  }

  track(router: MeteredRouter): void {
    this.routers.add(router);
  }

  /** Counts what the router saw last before it closes, then forgets it. */
  async untrack(router: MeteredRouter): Promise<void> {
    await this.count(router).catch(() => undefined);
    this.routers.delete(router);
  }

  sharesApplied(service: string, shares: Record<string, number>): void {
    for (const [version, percent] of Object.entries(shares)) this.shares.set({ service, version }, percent);
  }

  contractViolation(service: string, version: string): void {
    this.violations.inc({ service, version });
  }

  windowJudged(verdict: 'pass' | 'fail' | 'insufficient'): void {
    this.windows.inc({ verdict });
  }

  private refresh(): Promise<void> {
    if (this.refreshing && Date.now() - this.refreshing.at < STATS_REUSE_MS) return this.refreshing.done;
    const done = Promise.all(
      [...this.routers].map((router) =>
        // A router that cannot answer now (HAProxy restarting) is counted at the next scrape.
        this.count(router).catch((error: unknown) => this.logger.warn(`no counters from the ${router.service} router: ${(error as Error).message}`)),
      ),
    ).then(() => undefined);
    this.refreshing = { at: Date.now(), done };
    return done;
  }

  private async count(router: MeteredRouter): Promise<void> {
    const stats = await router.adapter.stats();
    const seen = this.counted.get(router) ?? new Map<string, { requests: number; serverErrors: number }>();
    this.counted.set(router, seen);
    for (const [version, now] of Object.entries(stats)) {
      const before = seen.get(version) ?? { requests: 0, serverErrors: 0 };
      const labels = { service: router.service, version };
      this.requests.inc(labels, increase(before.requests, now.requests));
      this.serverErrors.inc(labels, increase(before.serverErrors, now.serverErrors));
      seen.set(version, { requests: now.requests, serverErrors: now.serverErrors });
    }
  }
}

/** What a cumulative counter added since it was last read; a counter that went down restarted (an HAProxy reload). */
function increase(before: number, now: VersionTrafficStats['requests']): number {
  return now >= before ? now - before : now;
}
