import type { MetricRule } from '@bascule/analysis';
import { freePorts } from '@bascule/testing';
import { baselineOf, judgeWindow, MIN_SAMPLES } from '../analysis/window-judge';
import { LATENCY_BUCKETS, LatencyApp } from '../testing/latency-app';
import { OwnPrometheus } from '../testing/own-prometheus';
import { PrometheusSource } from './prometheus-source';
import type { Sample } from './sample-buffer';

jest.setTimeout(120_000);

/** The p50 of the last 5 s of requests: with a scrape a second, a change shows fully 5–6 s later. */
const MEDIAN_LATENCY = 'histogram_quantile(0.5, sum(rate(app_request_duration_seconds_bucket[5s])) by (le))';
/** Ten samples a second (the monitor reads one): 40 per 4 s window, over the judge's 30 a side. */
const EVERY_MS = 100;
const WINDOW_MS = 4_000;
const KEEP_MS = 120_000;
const LATENCY: MetricRule = { direction: 'lower-is-better', degradation: 0.2, unit: 's' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PrometheusSource against a real Prometheus scraping an app every second', () => {
  let app: LatencyApp;
  let prometheus: OwnPrometheus;
  const sources: PrometheusSource[] = [];

  beforeAll(async () => {
    app = await LatencyApp.start(100);
    prometheus = await OwnPrometheus.start(app.target);
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.stop()));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
  });

  function sampling(query: string, url = prometheus.url): PrometheusSource {
    const source = new PrometheusSource('checkout-p50', url, query, EVERY_MS, KEEP_MS);
    sources.push(source);
    source.start();
    return source;
  }

  async function samplesOver(source: PrometheusSource, ms: number): Promise<Sample[]> {
    const since = Date.now();
    await sleep(ms);
    return source.takeSince(since);
  }

  /** Waits until a whole second of samples reads `seconds` ± 10 %; how long that took. */
  async function settledAt(source: PrometheusSource, seconds: number, timeoutMs = 20_000): Promise<number> {
    const began = Date.now();
    let last: Sample[] = [];
    while (Date.now() - began < timeoutMs) {
      await sleep(EVERY_MS);
      last = source.takeSince(Date.now() - 1_000);
      if (last.length >= 5 && last.every((sample) => !sample.failed && Math.abs(sample.value / seconds - 1) < 0.1)) return Date.now() - began;
    }
    const seen = last.map((sample) => (sample.failed ? 'failed' : sample.value.toFixed(3))).join(', ');
    throw new Error(`the source did not settle at ${seconds} within ${timeoutMs} ms (last second: ${seen}; ${source.lastProblem ?? 'no problem'})`);
  }

  it('reads the median latency the app reports, new numbers every second, and follows the app when it slows down', async () => {
    const source = sampling(MEDIAN_LATENCY);
    await settledAt(source, 0.1);

    const steady = await samplesOver(source, 3_000);
    expect(steady.length).toBeGreaterThanOrEqual(20);
    expect(steady.every((sample) => !sample.failed)).toBe(true);
    for (const sample of steady) expect(sample.value).toBeGreaterThan(0.09);
    for (const sample of steady) expect(sample.value).toBeLessThan(0.11);
    // Real scrapes, not a constant: the rate window moves with every scrape.
    expect(new Set(steady.map((sample) => sample.value)).size).toBeGreaterThanOrEqual(2);

    app.latencyMs = 200;
    try {
      const followedAfterMs = await settledAt(source, 0.2);
      // The 5 s rate window plus a scrape, with slack for a loaded machine.
      expect(followedAfterMs).toBeLessThan(12_000);
    } finally {
      app.latencyMs = 100;
    }
  });

  it('reports several series, an unreachable Prometheus and a URL that is not Prometheus as failed samples, and a window of them fails', async () => {
    const [deadPort] = await freePorts(1);
    const healthy = sampling('sum(app_requests_total)');
    const perBucket = sampling('app_request_duration_seconds_bucket');
    const unreachable = sampling(MEDIAN_LATENCY, `http://127.0.0.1:${deadPort}`);
    const notPrometheus = sampling(MEDIAN_LATENCY, `http://${app.target}`);

    const since = Date.now();
    await sleep(WINDOW_MS);

    // One series per bucket and one for +Inf.
    const seriesCount = LATENCY_BUCKETS.length + 1;
    expect(perBucket.lastProblem).toBe(`the query returns ${seriesCount} series; aggregate them to one (sum, max, histogram_quantile ...)`);
    expect(unreachable.lastProblem).toBe(`Prometheus at http://127.0.0.1:${deadPort} did not answer: connect ECONNREFUSED 127.0.0.1:${deadPort}`);
    expect(notPrometheus.lastProblem).toBe(`http://${app.target} answered HTTP 404 without a query result; is it a Prometheus server?`);
    for (const failing of [perBucket, unreachable, notPrometheus]) {
      const samples = failing.takeSince(since);
      expect(samples.length).toBeGreaterThanOrEqual(MIN_SAMPLES);
      expect(samples.filter((sample) => !sample.failed)).toEqual([]);
    }

    const baseline = baselineOf(healthy.takeSince(since));
    expect(baseline.failures).toBe(0);
    const judgement = judgeWindow(LATENCY, baseline, unreachable.takeSince(since));
    expect(judgement.verdict).toBe('fail');
    expect(judgement.reason).toMatch(/^failed samples: /);
  });

  it('end to end through the judge: an unchanged window passes, +50 % latency fails with the numbers', async () => {
    const source = sampling(MEDIAN_LATENCY);
    await settledAt(source, 0.1);
    const baselineSamples = await samplesOver(source, WINDOW_MS);
    expect(baselineSamples.length).toBeGreaterThanOrEqual(MIN_SAMPLES);
    const baseline = baselineOf(baselineSamples);
    expect(baseline.failures).toBe(0);

    const unchanged = judgeWindow(LATENCY, baseline, await samplesOver(source, WINDOW_MS));
    expect(unchanged.verdict).toBe('pass');
    expect(Math.abs(unchanged.change ?? Number.POSITIVE_INFINITY)).toBeLessThan(0.1);

    app.latencyMs = 150;
    try {
      await settledAt(source, 0.15);
      const slower = judgeWindow(LATENCY, baseline, await samplesOver(source, WINDOW_MS));
      expect(slower.verdict).toBe('fail');
      expect(slower.baseline).toBeGreaterThan(0.09);
      expect(slower.baseline).toBeLessThan(0.11);
      expect(slower.current).toBeGreaterThan(0.135);
      expect(slower.current).toBeLessThan(0.165);
      expect(slower.change).toBeGreaterThan(0.35);
      expect(slower.change).toBeLessThan(0.65);
      expect(slower.pValue).toBeLessThan(0.01);
      expect(slower.samples.current).toBeGreaterThanOrEqual(MIN_SAMPLES);
      expect(slower.reason).toMatch(
        /^median 0\.1[3-6]\d* s vs baseline 0\.(09|1)\d* s: \d+ % worse \(threshold 20 %\), p < 0\.0001 over \d+ baseline and \d+ current samples$/,
      );
    } finally {
      app.latencyMs = 100;
    }
  });
});
