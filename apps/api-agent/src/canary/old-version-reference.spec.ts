import type { VersionWindow } from './canary-window';
import { OldVersionReference } from './old-version-reference';

const window = (requests: number, ms: number, serverErrors = 0): VersionWindow => ({ version: 'v1', requests, serverErrors, latencyMs: Array.from({ length: requests }, () => ms) });

describe('OldVersionReference', () => {
  it("is the old version's own window when it served enough", () => {
    const reference = new OldVersionReference();
    reference.referenceFor(window(50, 9));
    expect(reference.referenceFor(window(40, 10))).toEqual(window(40, 10));
  });

  it('tops a thin window up with the most recent earlier ones, newest first', () => {
    const reference = new OldVersionReference();
    reference.referenceFor(window(20, 7, 1));
    reference.referenceFor(window(20, 8, 2));
    const topped = reference.referenceFor(window(0, 0));
    expect(topped.requests).toBe(40);
    expect(topped.serverErrors).toBe(3);
    expect(topped.latencyMs).toEqual([...Array(20).fill(8), ...Array(20).fill(7)]);
  });

  it('stays thin when nothing came before (a restarted agent at 100 %)', () => {
    expect(new OldVersionReference().referenceFor(window(3, 5)).requests).toBe(3);
  });

  it('keeps latencies absent when the router records none', () => {
    const reference = new OldVersionReference();
    reference.referenceFor({ version: 'v1', requests: 100, serverErrors: 0, latencyMs: null });
    expect(reference.referenceFor({ version: 'v1', requests: 0, serverErrors: 0, latencyMs: null })).toEqual({ version: 'v1', requests: 100, serverErrors: 0, latencyMs: null });
  });
});
