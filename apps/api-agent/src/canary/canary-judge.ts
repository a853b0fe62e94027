import { judgeProportion, judgeSamples, LATENCY_FLOOR_MS, type MetricRule, type WindowJudgement } from '@bascule/analysis';
import type { VersionTraffic } from '@bascule/contracts';
import { median } from 'simple-statistics';
import type { z } from 'zod';
import type { CanaryWindow, VersionWindow } from './canary-window';

/** The new version fails when its median latency is 20 % (and 0.5 ms) worse than the old one's, significantly. */
export const LATENCY_RULE: MetricRule = { direction: 'lower-is-better', degradation: 0.2, floor: LATENCY_FLOOR_MS, unit: 'ms' };

/** ... or its share of failed requests is 5 points above the old one's, significantly. */
export const ERROR_RATE_RISE = 0.05;

/** Fewer samples (or requests) than this on a side: the test cannot speak, the rule is insufficient (not a failure). */
export const MIN_SAMPLES = 30;

// Both versions served in the same window: no wander guard (see JudgeOptions.wander).
const OPTIONS = { minSamples: MIN_SAMPLES, reference: 'old version', wander: false };

export type RuleVerdict = WindowJudgement['verdict'];

export interface CanaryJudgement {
  verdict: RuleVerdict;
  /** One sentence per rule, prefixed by its name: `latency: …`, `errors: …`, `contract: …`. */
  reasons: string[];
  /** The sentences of the rules that failed. */
  failures: string[];
  traffic: Array<z.infer<typeof VersionTraffic>>;
}

/**
 * Judges one canary window: the new version against the old one in the same window, so a host
 * that got slower slows both and fails neither.
 *
 * - latency: `judgeSamples` with LATENCY_RULE, against the old version's own samples of the window;
 * - errors: `judgeProportion` of failed requests, where the new version's failures are its 5xx
 *   plus its responses that broke its OpenAPI document (a broken body is an error to its client);
 * - contract: any sampled response of the new version that breaks its document fails the window,
 *   with no test and no minimum: a violation is not noise but a promise broken, and one is enough
 *   to stop the canary before more clients meet it. 5xx answers are left to the errors rule.
 *
 * The window fails when any rule fails; it is insufficient when neither latency nor errors could be
 * judged (too little traffic) and nothing failed, which moves the canary on.
 */
export function judgeCanaryWindow(window: CanaryWindow): CanaryJudgement {
  const { from, to, reference, contract } = window;
  const violations = contract?.violations ?? 0;
  const latency = latencyOf(from, to);
  const errors = judgeProportion(
    { degradation: ERROR_RATE_RISE },
    { failures: reference.serverErrors, attempts: reference.requests },
    { failures: Math.min(to.requests, to.serverErrors + violations), attempts: to.requests },
    OPTIONS,
  );
  const contractRule = contractVerdict(to.version, contract);
  const rules: Array<{ verdict: RuleVerdict; reason: string }> = [
    { verdict: latency.verdict, reason: `latency: ${latency.reason}` },
    { verdict: errors.verdict, reason: `errors: ${errors.reason}${violations > 0 ? ` (${violations} contract violations counted as failures)` : ''}` },
    contractRule,
  ];
  const failures = rules.filter((rule) => rule.verdict === 'fail').map((rule) => rule.reason);
  const judged = latency.verdict !== 'insufficient' || errors.verdict !== 'insufficient';
  return {
    verdict: failures.length > 0 ? 'fail' : judged ? 'pass' : 'insufficient',
    reasons: rules.map((rule) => rule.reason),
    failures,
    traffic: [trafficOf(from, 0), trafficOf(to, violations)],
  };
}

/**
 * Latency is compared within the window only: the old version's earlier windows are another
 * moment of the host, and a busier minute would read as a slower version (seen at 100 %, where the
 * old version serves nothing). With too few old-version requests in the window it is not compared;
 * errors and the contract still are.
 */
function latencyOf(from: VersionWindow, to: VersionWindow): Pick<WindowJudgement, 'verdict' | 'reason'> {
  if (from.latencyMs === null || to.latencyMs === null) {
    return { verdict: 'insufficient', reason: 'not judged: the router records no per-request latency (HAProxy without a log receiver)' };
  }
  if (from.latencyMs.length < MIN_SAMPLES) {
    return { verdict: 'insufficient', reason: `not compared: ${from.version} served ${from.latencyMs.length} requests in this window (${MIN_SAMPLES} needed; latency is compared within one window only)` };
  }
  return judgeSamples(LATENCY_RULE, from.latencyMs, to.latencyMs, OPTIONS);
}

function contractVerdict(version: string, contract: CanaryWindow['contract']): { verdict: RuleVerdict; reason: string } {
  if (contract === null) return { verdict: 'insufficient', reason: 'contract: not checked: this router does not sample responses' };
  if (contract.checked === 0) return { verdict: 'insufficient', reason: `contract: no JSON response of ${version} sampled` };
  if (contract.violations === 0) return { verdict: 'pass', reason: `contract: ${contract.checked} sampled responses of ${version} matched its OpenAPI document` };
  const examples = contract.examples.length > 0 ? `: ${contract.examples.join('; ')}` : '';
  return { verdict: 'fail', reason: `contract: ${contract.violations} of ${contract.checked} sampled responses of ${version} broke its OpenAPI document${examples}` };
}

function trafficOf(window: VersionWindow, contractViolations: number): z.infer<typeof VersionTraffic> {
  const latencies = window.latencyMs ?? [];
  return {
    version: window.version,
    requests: window.requests,
    serverErrors: window.serverErrors,
    contractViolations,
    medianLatencyMs: latencies.length > 0 ? median(latencies) : null,
  };
}
