import { judgeCanaryWindow } from './canary-judge';
import type { CanaryWindow, VersionWindow } from './canary-window';

/** `count` latencies spread evenly ±10 % around `ms`. */
function latencies(ms: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => ms * (0.9 + (0.2 * i) / Math.max(1, count - 1)));
}

function version(name: string, requests: number, ms: number | null, serverErrors = 0): VersionWindow {
  return { version: name, requests, serverErrors, latencyMs: ms === null ? null : latencies(ms, requests) };
}

function window(from: VersionWindow, to: VersionWindow, contract: CanaryWindow['contract'] = { checked: to.requests, violations: 0, examples: [] }): CanaryWindow {
  return { from, to, reference: from, contract };
}

describe('judgeCanaryWindow', () => {
  it('passes a new version that behaves like the old one, with one reason per rule', () => {
    const judged = judgeCanaryWindow(window(version('v1', 200, 20), version('v2', 100, 20)));
    expect(judged.verdict).toBe('pass');
    expect(judged.failures).toEqual([]);
    expect(judged.reasons).toEqual([
      expect.stringMatching(/^latency: median 20 ms vs old version 20 ms: unchanged/),
      expect.stringMatching(/^errors: failure rate 0 % vs old version 0 %: unchanged/),
      'contract: 100 sampled responses of v2 matched its OpenAPI document',
    ]);
    expect(judged.traffic).toEqual([
      { version: 'v1', requests: 200, serverErrors: 0, contractViolations: 0, medianLatencyMs: 20 },
      { version: 'v2', requests: 100, serverErrors: 0, contractViolations: 0, medianLatencyMs: 20 },
    ]);
  });

  it('fails a new version three times slower, naming both medians', () => {
    const judged = judgeCanaryWindow(window(version('v1', 200, 10), version('v2', 60, 30)));
    expect(judged.verdict).toBe('fail');
    expect(judged.failures).toEqual([expect.stringMatching(/^latency: median 30 ms vs old version 10 ms: 200 % worse \(threshold 20 %, and more than 0.5 ms\), p < 0.0001/)]);
  });

  it('does not fail a sub-millisecond shift, however large in percent (the floor)', () => {
    expect(judgeCanaryWindow(window(version('v1', 200, 0.4), version('v2', 200, 0.8))).verdict).toBe('pass');
  });

  it('fails on a rise of 5xx, counting contract violations as failures too', () => {
    const errors = judgeCanaryWindow(window(version('v1', 300, 10), version('v2', 100, 10, 20)));
    expect(errors.failures).toEqual([expect.stringMatching(/^errors: failure rate 20 % vs old version 0 %: 20 points higher/)]);
    const broken = judgeCanaryWindow(window(version('v1', 300, 10), version('v2', 100, 10), { checked: 100, violations: 10, examples: ['GET /load (200): body/total must be number'] }));
    expect(broken.failures).toEqual([
      expect.stringMatching(/^errors: failure rate 10 % vs old version 0 %: 10 points higher .* \(10 contract violations counted as failures\)$/),
      'contract: 10 of 100 sampled responses of v2 broke its OpenAPI document: GET /load (200): body/total must be number',
    ]);
    expect(broken.traffic[1].contractViolations).toBe(10);
  });

  it('fails on a single contract violation in a window too thin to judge anything else', () => {
    const judged = judgeCanaryWindow(window(version('v1', 100, 10), version('v2', 5, 10), { checked: 5, violations: 1, examples: ['GET /load (200): body must have required property \'version\''] }));
    expect(judged.verdict).toBe('fail');
    expect(judged.failures).toEqual(["contract: 1 of 5 sampled responses of v2 broke its OpenAPI document: GET /load (200): body must have required property 'version'"]);
  });

  it('calls a window too thin on both rules insufficient, which is not a failure', () => {
    const judged = judgeCanaryWindow(window(version('v1', 200, 10), version('v2', 10, 40)));
    expect(judged.verdict).toBe('insufficient');
    expect(judged.reasons[0]).toMatch(/too few to compare \(30 needed on each side\)/);
  });

  it('without per-request samples (HAProxy, no log receiver) judges errors only and says so', () => {
    const judged = judgeCanaryWindow(window(version('v1', 200, null), version('v2', 200, null), null));
    expect(judged.verdict).toBe('pass');
    expect(judged.reasons[0]).toBe('latency: not judged: the router records no per-request latency (HAProxy without a log receiver)');
    expect(judged.reasons[2]).toBe('contract: not checked: this router does not sample responses');
    expect(judged.traffic.map((traffic) => traffic.medianLatencyMs)).toEqual([null, null]);
  });

  it('at 100 % does not compare latency with the old version\'s earlier windows (another moment of the host), only errors and the contract', () => {
    const earlier = version('v1', 200, 14);
    const judged = judgeCanaryWindow({ from: version('v1', 0, 14), to: version('v2', 120, 19), reference: earlier, contract: { checked: 120, violations: 0, examples: [] } });
    expect(judged.verdict).toBe('pass');
    expect(judged.reasons[0]).toBe('latency: not compared: v1 served 0 requests in this window (30 needed; latency is compared within one window only)');
    expect(judged.reasons[1]).toMatch(/^errors: failure rate 0 % vs old version 0 %/);
  });
});
