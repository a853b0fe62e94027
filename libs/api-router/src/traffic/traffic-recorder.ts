import type { VersionSamples, VersionTrafficStats } from '../router-adapter';
import { LatencyHistogram } from './latency-histogram';
import { SampleReservoir } from './sample-reservoir';

export const DEFAULT_MAX_SAMPLES_PER_DRAIN = 100_000;

interface VersionTraffic {
  requests: number;
  serverErrors: number;
  readonly latency: LatencyHistogram;
  readonly samples: SampleReservoir;
}

/** What both adapters observe per request: cumulative counters and histogram, plus drainable samples. */
export class TrafficRecorder {
  private readonly traffic = new Map<string, VersionTraffic>();

  constructor(
    versions: readonly string[],
    private readonly maxSamplesPerDrain = DEFAULT_MAX_SAMPLES_PER_DRAIN,
  ) {
    for (const version of versions) this.traffic.set(version, this.empty());
  }

  /** Records one finished request; requests of versions the router does not know are ignored. */
  record(version: string, status: number, latencyMs: number): void {
    const traffic = this.traffic.get(version);
    if (!traffic) return;
    traffic.requests += 1;
    if (status >= 500 && status <= 599) traffic.serverErrors += 1;
    traffic.latency.record(latencyMs);
    traffic.samples.add(latencyMs, status);
  }

  stats(): Record<string, VersionTrafficStats> {
    const stats: Record<string, VersionTrafficStats> = {};
    for (const [version, traffic] of this.traffic) {
      stats[version] = { requests: traffic.requests, serverErrors: traffic.serverErrors, latencyMs: traffic.latency.summary() };
    }
    return stats;
  }

  drain(): Record<string, VersionSamples> {
    const drained: Record<string, VersionSamples> = {};
    for (const [version, traffic] of this.traffic) drained[version] = traffic.samples.drain();
    return drained;
  }

  private empty(): VersionTraffic {
    return { requests: 0, serverErrors: 0, latency: new LatencyHistogram(), samples: new SampleReservoir(this.maxSamplesPerDrain) };
  }
}
