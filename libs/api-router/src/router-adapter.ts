/** One version of the service and where it listens. For HAProxy the config's server address wins. */
export interface VersionUpstream {
  version: string;
  upstream: string;
}

/** Percent of requests per version: whole numbers 0–100 summing to 100. */
export type TrafficShares = Record<string, number>;

/** Percentiles of a latency distribution, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Cumulative counters of one version since the router (for HAProxy: the HAProxy process) started. */
export interface VersionTrafficStats {
  requests: number;
  /** 5xx answers, including the 502/503/504 a router sends itself when the upstream failed. */
  serverErrors: number;
  /** Null until a latency was recorded (HAProxy records them only with a log receiver). */
  latencyMs: LatencySummary | null;
}

/** Raw per-request observations of one version, paired by index, since the previous drain. */
export interface VersionSamples {
  latencyMs: number[];
  statuses: number[];
}

/**
 * Moves HTTP traffic between the versions of one service. Every method resolves only once the
 * router applies or reports the state, so a caller that awaits `setWeights` can rely on it.
 */
export interface RouterAdapter {
  readonly kind: 'embedded' | 'haproxy';
  /**
   * Sets the share of requests each version receives (versions left out get 0). Shares that grow
   * are applied before shares that shrink, so no moment has every version at 0 (which would answer
   * 503). Resolves once the router routes by the new shares.
   */
  setWeights(shares: TrafficShares): Promise<void>;
  weights(): Promise<TrafficShares>;
  stats(): Promise<Record<string, VersionTrafficStats>>;
  /** Samples recorded since the previous call (a bounded uniform sample when the window is large). */
  drainSamples(): Promise<Record<string, VersionSamples>>;
  close(): Promise<void>;
}
