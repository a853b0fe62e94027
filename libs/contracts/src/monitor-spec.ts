import { z } from 'zod';
import { addExactlyOneKeyIssue, Duration, durationAtLeast, durationToMs, evenWithOtherProblems, Percent, percentToFraction, SqlText } from './spec-values';

/**
 * The spec's `monitor` section and `analysis` step (ARCHITECTURE.md "Monitor": the shape is a
 * contract). The parsed spec carries every default, so the monitor reads one value per field:
 * `every`, `direction` and `degradation` of each metric, `watch`, and the metrics of each analysis.
 */

export const METRIC_DIRECTIONS = ['lower-is-better', 'higher-is-better'] as const;
export const MetricDirection = z.enum(METRIC_DIRECTIONS, { error: `direction is one of ${METRIC_DIRECTIONS.join(', ')}` });
export type MetricDirection = z.infer<typeof MetricDirection>;

/** Where a metric's samples come from: the one source key a metric carries. */
export const METRIC_SOURCES = ['probe', 'prometheus', 'postgres'] as const;
export const MetricSourceKind = z.enum(METRIC_SOURCES);
export type MetricSourceKind = z.infer<typeof MetricSourceKind>;

/**
 * Target health figures the monitor reads from Postgres' statistics views, and which way is worse.
 * Rates are per second over a sample's interval; `longest_lock_wait` is in seconds.
 */
export const POSTGRES_BUILTIN_DIRECTIONS = {
  /** Rolled-back share of the transactions that ended. */
  rollback_ratio: 'lower-is-better',
  deadlocks: 'lower-is-better',
  /** Lock requests of the target database's sessions waiting now. */
  lock_waits: 'lower-is-better',
  longest_lock_wait: 'lower-is-better',
  /** Sessions running a statement now. */
  active_connections: 'lower-is-better',
  /** Commits per second: fewer means the application gets less done. */
  commit_rate: 'higher-is-better',
  /**
   * Mean execution time of the target database's statements per call over a sample's interval, in
   * ms, from `pg_stat_statements` (the extension installed in the target and preloaded by the server).
   */
  statement_time: 'lower-is-better',
} as const satisfies Record<string, MetricDirection>;
export type PostgresBuiltin = keyof typeof POSTGRES_BUILTIN_DIRECTIONS;
export const POSTGRES_BUILTINS = Object.keys(POSTGRES_BUILTIN_DIRECTIONS) as [PostgresBuiltin, ...PostgresBuiltin[]];

/** The degradation a metric is judged by when it sets neither `max` nor `min`. */
export const DEFAULT_DEGRADATION = '20%';

const METRIC_NAME = /^[a-z][a-z0-9_-]*$/;
export const MetricName = z
  .string()
  .max(63, 'a metric name is at most 63 characters')
  .regex(METRIC_NAME, 'a metric name starts with a lowercase letter and holds only a-z, 0-9, "_" and "-"');

/** A probe at 10 ms is already 100 queries a second against the target. */
const MIN_PROBE_EVERY_MS = 10;
export const ProbeSource = z.strictObject({
  sql: SqlText.describe('One read-only query (SELECT, VALUES, WITH … SELECT); each run is one latency sample in milliseconds'),
  every: durationAtLeast(MIN_PROBE_EVERY_MS, 'a probe interval', '10ms').default('1s').describe('How often the probe runs: 250ms, 1s'),
});

export const PrometheusSource = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'url is the http(s) address of a Prometheus server' })
    .max(2048)
    // The spec is stored in the migration's events: a password in it would be in the log for good.
    .refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), 'url cannot hold a user name or password: the spec is stored in the event log')
    .describe('The Prometheus server: http://127.0.0.1:9090'),
  query: z.string().min(1, 'a PromQL query cannot be empty').max(10_000).describe('PromQL instant query; its first sample is the metric\'s value'),
});

export const PostgresBuiltinName = z.enum(POSTGRES_BUILTINS, { error: `postgres is one of ${POSTGRES_BUILTINS.join(', ')}` });

const finite = z.number().refine(Number.isFinite, 'a bound is a finite number');

/** The direction a metric's source implies: latencies and prometheus figures are worse when higher. */
export function defaultDirection(metric: { postgres?: PostgresBuiltin }): MetricDirection {
  return metric.postgres ? POSTGRES_BUILTIN_DIRECTIONS[metric.postgres] : 'lower-is-better';
}

export const MonitorMetric = z
  .strictObject({
    name: MetricName.describe('Unique among the metrics; analysis steps name it'),
    probe: ProbeSource.optional().describe('A query the monitor runs against the target and times'),
    prometheus: PrometheusSource.optional().describe('A PromQL query against a Prometheus server'),
    postgres: PostgresBuiltinName.optional().describe(`A built-in target health figure: ${POSTGRES_BUILTINS.join(', ')}`),
    degradation: Percent.optional().describe(`Worse than the baseline by more than this fails (default ${DEFAULT_DEGRADATION} when neither max nor min is set)`),
    max: finite.optional().describe('An absolute upper bound: a value above it fails'),
    min: finite.optional().describe('An absolute lower bound: a value below it fails'),
    direction: MetricDirection.optional().describe('Which way is worse; default from the source (commit_rate: higher-is-better, everything else lower-is-better)'),
  })
  .superRefine((metric, ctx) => {
    addExactlyOneKeyIssue(ctx, metric, METRIC_SOURCES, { owner: 'metric', what: 'source', code: 'metric_source' });
    if (typeof metric.min === 'number' && typeof metric.max === 'number' && metric.min >= metric.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], params: { code: 'invalid_value' }, message: `min (${metric.min}) must be below max (${metric.max})` });
    }
    const direction = metric.direction ?? (typeof metric.postgres === 'string' ? POSTGRES_BUILTIN_DIRECTIONS[metric.postgres as PostgresBuiltin] : undefined);
    const fraction = typeof metric.degradation === 'string' ? percentToFraction(metric.degradation) : null;
    if (direction === 'higher-is-better' && fraction !== null && fraction >= 1) {
      // A figure that cannot go below zero cannot drop by 100 % or more: the check would never fail.
      ctx.addIssue({ code: 'custom', path: ['degradation'], params: { code: 'invalid_value' }, message: 'a higher-is-better metric cannot drop by 100% or more: give a degradation below 100%' });
    }
  }, evenWithOtherProblems)
  .meta({ oneOf: METRIC_SOURCES.map((source) => ({ required: [source] })) })
  .transform((metric) => {
    const degradation = metric.degradation ?? (metric.max === undefined && metric.min === undefined ? DEFAULT_DEGRADATION : undefined);
    return { ...metric, direction: metric.direction ?? defaultDirection(metric), ...(degradation ? { degradation } : {}) };
  });

/** Shorter windows hold too few samples of most sources to judge anything. */
const MIN_INTERVAL_MS = 1000;

export const MonitorSection = z
  .strictObject({
    baseline: durationAtLeast(1000, 'a baseline', '1s').default('30s').describe('Measured before the first phase starts'),
    interval: durationAtLeast(MIN_INTERVAL_MS, 'an interval', '1s').default('5s').describe('One judged window per interval'),
    failureLimit: z.int().min(1).max(1000).default(2).describe('Consecutive failed windows that fail the analysis'),
    watch: Duration.optional().describe('How long judging goes on after expanded and completed (default: rollback.window)'),
    metrics: z.array(MonitorMetric).min(1, 'a monitor needs at least one metric').max(50, 'a monitor has at most 50 metrics'),
  })
  .superRefine((monitor, ctx) => {
    const metrics = Array.isArray(monitor.metrics) ? (monitor.metrics as unknown[]) : [];
    const seen = new Set<string>();
    metrics.forEach((metric, index) => {
      const name = (metric as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') return;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['metrics', index, 'name'], params: { code: 'duplicate_name' }, message: `metric "${name}" is defined twice` });
      seen.add(name);
    });
    const intervalMs = typeof monitor.interval === 'string' ? durationToMs(monitor.interval) : null;
    if (intervalMs === null || intervalMs < MIN_INTERVAL_MS) return; // the interval's own problem
    metrics.forEach((metric, index) => {
      const every = (metric as { probe?: { every?: unknown } } | null)?.probe?.every;
      const everyMs = typeof every === 'string' ? durationToMs(every) : null;
      if (everyMs !== null && everyMs > intervalMs) {
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', index, 'probe', 'every'],
          params: { code: 'invalid_value' },
          message: `a probe every ${String(every)} leaves windows of ${String(monitor.interval)} without a sample: probe at least once per interval`,
        });
      }
    });
  }, evenWithOtherProblems);

export const AnalysisStepBody = z
  .strictObject({
    duration: durationAtLeast(1000, 'an analysis', '1s').describe('How long the step judges its metrics before the phase may go on'),
    metrics: z.array(MetricName).min(1).max(50).optional().describe('Names of monitor metrics to judge (default: all of them)'),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    (Array.isArray(body.metrics) ? body.metrics : []).forEach((name, index) => {
      if (typeof name !== 'string') return;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['metrics', index], params: { code: 'duplicate_name' }, message: `metric "${name}" is listed twice` });
      seen.add(name);
    });
  }, evenWithOtherProblems);

export type MonitorSection = z.infer<typeof MonitorSection>;
export type MonitorMetric = z.infer<typeof MonitorMetric>;
export type AnalysisStepBody = z.infer<typeof AnalysisStepBody>;

/** The monitor section as the parsed spec holds it: `watch` defaults to the spec's rollback window. */
export type MonitorSettings = Omit<MonitorSection, 'watch'> & { watch: string };

export function withWatchDefault(monitor: MonitorSection, rollbackWindow: string): MonitorSettings {
  return { ...monitor, watch: monitor.watch ?? rollbackWindow };
}

/** The metrics an analysis step judges: the ones it names, or every metric of the monitor. */
export function analysisMetricNames(monitor: Pick<MonitorSection, 'metrics'>, analysis: AnalysisStepBody): string[] {
  return analysis.metrics ?? monitor.metrics.map((metric) => metric.name);
}
