import { SampleReservoir } from './sample-reservoir';
import { TrafficRecorder } from './traffic-recorder';

describe('TrafficRecorder', () => {
  it('counts requests and 5xx per version and summarises latency', () => {
    const recorder = new TrafficRecorder(['v1', 'v2']);
    for (let i = 1; i <= 100; i++) recorder.record('v1', 200, i);
    recorder.record('v2', 502, 3);
    recorder.record('v2', 404, 4);
    recorder.record('unknown', 200, 1);

    const stats = recorder.stats();
    expect(stats.v1).toMatchObject({ requests: 100, serverErrors: 0 });
    expect(stats.v1.latencyMs).toMatchObject({ count: 100, mean: 50.5 });
    expect(stats.v1.latencyMs?.p50).toBeCloseTo(50, 1);
    expect(stats.v1.latencyMs?.p99).toBeCloseTo(99, 1);
    expect(stats.v2).toMatchObject({ requests: 2, serverErrors: 1 });
    expect(Object.keys(stats)).toEqual(['v1', 'v2']);
  });

  it('drains the samples since the previous drain, then starts empty', () => {
    const recorder = new TrafficRecorder(['v1', 'v2']);
    recorder.record('v1', 200, 20);
    recorder.record('v1', 503, 41.5);
    expect(recorder.drain()).toEqual({ v1: { latencyMs: [20, 41.5], statuses: [200, 503] }, v2: { latencyMs: [], statuses: [] } });
    expect(recorder.drain()).toEqual({ v1: { latencyMs: [], statuses: [] }, v2: { latencyMs: [], statuses: [] } });
    expect(recorder.stats().v1.requests).toBe(2);
  });
});

/** mulberry32: a fixed sequence, so the test cannot fail by chance. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SampleReservoir', () => {
  it('keeps at most its capacity, sampling the whole window uniformly', () => {
    const reservoir = new SampleReservoir(100, seededRandom(7));
    for (let i = 0; i < 10_000; i++) reservoir.add(i, i % 2 === 0 ? 200 : 500);
    const { latencyMs, statuses } = reservoir.drain();
    expect(latencyMs).toHaveLength(100);
    // A prefix would have kept only 0–99; a uniform sample reaches into the last thousand.
    expect(Math.max(...latencyMs)).toBeGreaterThan(9000);
    latencyMs.forEach((latency, index) => expect(statuses[index]).toBe(latency % 2 === 0 ? 200 : 500));
  });
});
