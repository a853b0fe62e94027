/**
 * @bascule/api-router — moves HTTP traffic between two versions of a service during a canary and
 * puts it all back on the old version on rollback.
 *
 * Design
 * - One port, two adapters: `EmbeddedRouter` (a fastify + @fastify/reply-from proxy in this
 *   process, smooth weighted round-robin, weights in memory) and `HaproxyRouter` (an existing
 *   HAProxy driven over its runtime API; server names are version names, weight = percent).
 * - `setWeights` raises growing shares before lowering shrinking ones, so traffic never meets a
 *   0/0 state (every request would be a 503), and resolves only once the router routes by them.
 * - HAProxy weights are saved to its server-state file after each change, so a reload after a
 *   rollback keeps the old version at 100 %.
 * - Observations feed the monitor: cumulative counters and HdrHistogram percentiles (`stats`) and
 *   raw per-request latency/status pairs (`drainSamples`) for its Mann-Whitney judge. HAProxy's
 *   samples come from its own request logs, received over UDP syslog.
 * See docs/api-router.md for the HAProxy configuration it needs.
 */
export * from './errors';
export type { LatencySummary, RouterAdapter, TrafficShares, VersionSamples, VersionTrafficStats, VersionUpstream } from './router-adapter';
export { RouterSpec, VersionUpstreamSpec } from './router-spec';
export { createRouterAdapter, type RouterAdapterOptions } from './create-router-adapter';
export { EmbeddedRouter, type EmbeddedRouterOptions } from './embedded/embedded-router';
export type { ResponseSample, ResponseSampling } from './embedded/response-sample';
export { HaproxyRouter, type HaproxyRouterOptions } from './haproxy/haproxy-router';
export { HaproxyRuntimeApi } from './haproxy/runtime-api';
export { parseHttpLogLine, type HttpLogEntry } from './haproxy/http-log-line';
export { SmoothWeightedRoundRobin } from './traffic/smooth-weighted-round-robin';
export { planWeightChanges, type WeightChange } from './traffic/traffic-shares';
