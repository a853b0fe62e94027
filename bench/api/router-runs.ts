import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { RouterAdapter } from '@bascule/api-router';
import { LoadGenerator, type LoadResult } from '@bascule/api-router/testing';
import { quantileSorted } from 'simple-statistics';

/** Clients kept busy against the router (each its own keep-alive connection). */
export const CONCURRENCY = 4;

export interface LatencyFigures {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export function latencyOf(results: readonly LoadResult[]): LatencyFigures {
  const sorted = results.filter((result) => result.status >= 200 && result.status < 300).map((result) => result.finishedAt - result.startedAt).sort((a, b) => a - b);
  return { requests: results.length, p50Ms: quantileSorted(sorted, 0.5), p99Ms: quantileSorted(sorted, 0.99) };
}

/** `durationMs` of load against `url`: its latency figures and failures. */
export async function loadFor(url: string, durationMs: number): Promise<{ latency: LatencyFigures; failed: number }> {
  const load = LoadGenerator.start(url, { concurrency: CONCURRENCY });
  await sleep(durationMs);
  const results = await load.stop();
  return { latency: latencyOf(results), failed: results.filter((result) => result.status < 200 || result.status > 299).length };
}

export interface WeightStep {
  /** Share of v2 asked for, percent. */
  share: number;
  /** Share of v2 among the requests that started after the change resolved and before the next one. */
  observed: number;
  requests: number;
  failed: number;
}

/** Under load, v2's share walks `shares`, each held `holdMs`: the failures and the split seen at each step. */
export async function weightWalk(url: string, router: RouterAdapter, shares: readonly number[], holdMs: number): Promise<WeightStep[]> {
  const load = LoadGenerator.start(url, { concurrency: CONCURRENCY });
  const steps: WeightStep[] = [];
  try {
    for (const share of shares) {
      const changedAt = performance.now();
      await router.setWeights({ v1: 100 - share, v2: share });
      const appliedAt = performance.now();
      await sleep(holdMs);
      const endedAt = performance.now();
      // Failures count from the moment the change was asked for; the split from when it applied.
      const around = load.results.filter((result) => result.startedAt >= changedAt && result.startedAt < endedAt);
      const split = around.filter((result) => result.startedAt >= appliedAt);
      steps.push({
        share,
        observed: split.length === 0 ? NaN : (100 * split.filter((result) => result.version === 'v2').length) / split.length,
        requests: around.length,
        failed: around.filter((result) => result.status < 200 || result.status > 299).length,
      });
    }
  } finally {
    await load.stop();
  }
  return steps;
}

export interface AbortRun {
  /** From the rollback's setWeights call to its promise resolving. */
  resolvedMs: number;
  /** From that call to the end of the last response v2 gave (0 when none after the call). */
  lastNewMs: number;
  failed: number;
}

/** At 50/50 under load, the rollback (v1 100, v2 0): how long until v2 answers nothing more. */
export async function abortRun(url: string, router: RouterAdapter, warmMs: number): Promise<AbortRun> {
  await router.setWeights({ v1: 50, v2: 50 });
  const load = LoadGenerator.start(url, { concurrency: CONCURRENCY });
  try {
    await sleep(warmMs);
    const calledAt = performance.now();
    await router.setWeights({ v1: 100, v2: 0 });
    const resolvedMs = performance.now() - calledAt;
    await sleep(warmMs);
    const results = await load.stop();
    const lastNew = results.filter((result) => result.version === 'v2' && result.finishedAt >= calledAt).reduce((latest, result) => Math.max(latest, result.finishedAt), calledAt);
    return { resolvedMs, lastNewMs: lastNew - calledAt, failed: results.filter((result) => result.status < 200 || result.status > 299).length };
  } finally {
    await load.stop().catch(() => undefined);
  }
}
