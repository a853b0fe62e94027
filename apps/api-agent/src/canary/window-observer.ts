import type { VersionTrafficStats } from '@bascule/api-router';
import type { StepRouter } from '../routing/step-router';
import type { ContractWindow, VersionWindow } from './canary-window';

export interface ObservedWindow {
  from: VersionWindow;
  to: VersionWindow;
  contract: ContractWindow | null;
}

/**
 * One canary window on a router: begun right after the shift, so what came before (requests under
 * the previous shares) is drained away, and ended after the interval. Counts are the deltas of the
 * router's cumulative counters (exact, whatever the sampling); latencies are its per-request
 * samples when it records them.
 */
export class WindowObserver {
  private constructor(
    private readonly router: StepRouter,
    private readonly before: Record<string, VersionTrafficStats>,
  ) {}

  static async begin(router: StepRouter): Promise<WindowObserver> {
    const before = await router.adapter.stats();
    if (router.recordsSamples) await router.adapter.drainSamples();
    router.contract?.drain();
    return new WindowObserver(router, before);
  }

  async end(): Promise<ObservedWindow> {
    const after = await this.router.adapter.stats();
    const samples = this.router.recordsSamples ? await this.router.adapter.drainSamples() : null;
    const contract = this.router.contract?.drain() ?? null;
    const windowOf = (version: string): VersionWindow => {
      const then = this.before[version] ?? { requests: 0, serverErrors: 0 };
      const now = after[version] ?? { requests: 0, serverErrors: 0 };
      return {
        version,
        requests: delta(then.requests, now.requests),
        serverErrors: delta(then.serverErrors, now.serverErrors),
        latencyMs: samples ? (samples[version]?.latencyMs ?? []) : null,
      };
    };
    const { from, to } = this.router.body;
    return { from: windowOf(from.version), to: windowOf(to.version), contract };
  }
}

/** HAProxy's counters restart with its process (a reload): then the window is what it counted since. */
function delta(before: number, now: number): number {
  return now >= before ? now - before : now;
}

/** Two consecutive windows of the same canary step as one: counts added, samples and examples joined. */
export function joinWindows(earlier: ObservedWindow, later: ObservedWindow): ObservedWindow {
  const version = (a: VersionWindow, b: VersionWindow): VersionWindow => ({
    version: a.version,
    requests: a.requests + b.requests,
    serverErrors: a.serverErrors + b.serverErrors,
    latencyMs: a.latencyMs && b.latencyMs ? [...a.latencyMs, ...b.latencyMs] : (a.latencyMs ?? b.latencyMs),
  });
  const contract =
    earlier.contract && later.contract
      ? { checked: earlier.contract.checked + later.contract.checked, violations: earlier.contract.violations + later.contract.violations, examples: [...earlier.contract.examples, ...later.contract.examples].slice(0, 5) }
      : (earlier.contract ?? later.contract);
  return { from: version(earlier.from, later.from), to: version(earlier.to, later.to), contract };
}
