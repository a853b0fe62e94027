import type { VersionSamples } from '../router-adapter';

/**
 * Per-request (latency, status) pairs since the last drain, at most `capacity` of them: past that,
 * reservoir sampling (Vitter's algorithm R) keeps a uniform sample of the whole window, so a monitor
 * that drains late still judges the window, not just its first requests, and memory stays bounded.
 */
export class SampleReservoir {
  private latencyMs: number[] = [];
  private statuses: number[] = [];
  private seen = 0;

  constructor(
    private readonly capacity: number,
    private readonly random: () => number = Math.random,
  ) {}

  add(latencyMs: number, status: number): void {
    this.seen += 1;
    if (this.latencyMs.length < this.capacity) {
      this.latencyMs.push(latencyMs);
      this.statuses.push(status);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) {
      this.latencyMs[slot] = latencyMs;
      this.statuses[slot] = status;
    }
  }

  drain(): VersionSamples {
    const drained = { latencyMs: this.latencyMs, statuses: this.statuses };
    this.latencyMs = [];
    this.statuses = [];
    this.seen = 0;
    return drained;
  }
}
