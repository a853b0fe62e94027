import { z } from 'zod';
import { defineCommand, defineEvent } from '../message-definition';
import { MetricDirection, MetricSourceKind } from '../monitor-spec';

/**
 * The monitor's vocabulary. Both commands name only the migration (and the step): the monitor
 * reads the metrics, durations and limits from the spec stored in `MigrationPlanned`, so a message
 * cannot bring its own probe SQL or Prometheus address. Its facts go to the migration's stream.
 */
const Ref = {
  migrationId: z.string().min(1),
  target: z.string().regex(/^[a-z][a-z0-9_]*$/, 'target names are a-z, 0-9 and "_"'),
  commandId: z.uuid(),
};

/** Sent once the migration started and before its first phase, when the spec has a `monitor`. */
export const TakeMonitorBaseline = defineCommand('monitor.baseline', 1, z.object(Ref));

/** Runs an `analysis` step: judges its metrics for its `duration`, then passes or fails the step. */
export const RunAnalysisStep = defineCommand('monitor.analyze', 1, z.object({ ...Ref, stepId: z.string().min(1) }));

/** Where the migration stood when a window was judged: during its phases, after expanded, after completed. */
export const AnalysisPhase = z.enum(['running', 'expanded', 'completed']);
export type AnalysisPhase = z.infer<typeof AnalysisPhase>;

/** Raw samples kept per metric in a baseline, enough for a rank test without growing the log. */
export const MAX_BASELINE_VALUES = 2000;

export const MetricBaseline = z.object({
  name: z.string(),
  source: MetricSourceKind,
  direction: MetricDirection,
  samples: z.number().int().nonnegative(),
  /** Null when no sample succeeded. */
  median: z.number().nullable(),
  p95: z.number().nullable(),
  /** Share of runs that failed (a probe error or timeout, a Prometheus query with no answer). */
  errorRate: z.number().min(0).max(1).nullable(),
  values: z.array(z.number()).max(MAX_BASELINE_VALUES),
});
export type MetricBaseline = z.infer<typeof MetricBaseline>;

export const MonitorBaselineRecorded = defineEvent(
  'MonitorBaselineRecorded',
  1,
  z.object({ migrationId: z.string(), metrics: z.array(MetricBaseline), durationMs: z.number() }),
);

const SampleCounts = z.object({ baseline: z.number().int().nonnegative(), current: z.number().int().nonnegative() });

/** One metric's verdict in one window. `insufficient`: too few samples to tell, which fails nothing. */
export const MetricVerdict = z.object({
  name: z.string(),
  verdict: z.enum(['pass', 'fail', 'insufficient']),
  baseline: z.number().nullable(),
  current: z.number().nullable(),
  /** (current − baseline) / |baseline|: 0.25 is 25 % above the baseline; null without both or with a 0 baseline. */
  change: z.number().nullable(),
  /** The value beyond which the metric fails (baseline and degradation, or max / min). */
  threshold: z.number().nullable(),
  pValue: z.number().min(0).max(1).nullable(),
  samples: SampleCounts,
  reason: z.string(),
});
export type MetricVerdict = z.infer<typeof MetricVerdict>;

export const AnalysisWindowJudged = defineEvent(
  'AnalysisWindowJudged',
  1,
  z.object({
    migrationId: z.string(),
    window: z.number().int().nonnegative(),
    phase: AnalysisPhase,
    metrics: z.array(MetricVerdict),
    failed: z.boolean(),
    consecutiveFailures: z.number().int().nonnegative(),
  }),
);

/**
 * A metric failed `failureLimit` windows in a row, during the migration (`stepId` null) or an
 * analysis step. With `rollback.automatic` the migration fails and rolls back; without, it pauses.
 */
export const AnalysisFailed = defineEvent(
  'AnalysisFailed',
  1,
  z.object({
    migrationId: z.string(),
    stepId: z.string().nullable(),
    metric: z.string(),
    reason: z.string(),
    baseline: z.number().nullable(),
    current: z.number().nullable(),
    threshold: z.number().nullable(),
    pValue: z.number().min(0).max(1).nullable(),
    samples: SampleCounts,
    phase: AnalysisPhase,
  }),
);

export const AnalysisStepPassed = defineEvent(
  'AnalysisStepPassed',
  1,
  z.object({ migrationId: z.string(), stepId: z.string(), windows: z.number().int().nonnegative(), durationMs: z.number() }),
);
export const AnalysisStepFailed = defineEvent('AnalysisStepFailed', 1, z.object({ migrationId: z.string(), stepId: z.string(), metric: z.string(), reason: z.string() }));

/** After `completed`, within the watch: nothing is rolled back any more, but someone should look. */
export const RegressionDetected = defineEvent(
  'RegressionDetected',
  1,
  z.object({
    migrationId: z.string(),
    metric: z.string(),
    reason: z.string(),
    baseline: z.number().nullable(),
    current: z.number().nullable(),
    pValue: z.number().min(0).max(1).nullable(),
  }),
);

/** The monitor's throttle signal: the backfill should pause its batches until `BackfillResumed`. */
export const BackfillThrottled = defineEvent('BackfillThrottled', 1, z.object({ migrationId: z.string(), reason: z.string(), metric: z.string() }));
export const BackfillResumed = defineEvent('BackfillResumed', 1, z.object({ migrationId: z.string() }));
