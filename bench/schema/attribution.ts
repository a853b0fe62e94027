import { maximum, percentile, type Transaction } from './latency-stats';
import type { BatchSample, ScenarioFigure } from './scenarios';
import { waitRuns, type WaitRun } from './wait-sampler';

/** The write load's figures over one phase of a migration (transactions by the time they began). */
export interface PhaseFigure {
  phase: string;
  ms: number;
  transactions: number;
  tps: number;
  p99Ms: number;
  maxMs: number;
  /** Sampled waits of pgbench sessions, most frequent first: `event ×count`. */
  waits: string;
  /** The longest wait seen (a lower bound: samples every 10 ms). */
  longestWait: WaitRun | null;
  /** Samples of a heavyweight-lock wait (`Lock:*`: a row or table lock someone held), and the longest. */
  lockSamples: number;
  longestLockWait: WaitRun | null;
}

function windows(scenario: ScenarioFigure): Array<{ phase: string; from: number; to: number }> {
  const marks = scenario.recorder.marks;
  if (marks.length === 0) return [{ phase: 'no migration', from: scenario.startedAtMs, to: scenario.endedAtMs }];
  const edges: Array<[number, string]> = [[scenario.startedAtMs, 'before the migration'], ...marks];
  return edges.map(([from, phase], i) => ({ phase, from, to: i + 1 < edges.length ? edges[i + 1][0] : scenario.endedAtMs })).filter((w) => w.to > w.from);
}

function figureOf(phase: string, from: number, to: number, log: readonly Transaction[], runs: readonly WaitRun[], samples: ScenarioFigure['waits']): PhaseFigure {
  const inPhase = log.filter((t) => t.startedAtMs >= from && t.startedAtMs < to).map((t) => t.us / 1000);
  const counts = new Map<string, number>();
  for (const sample of samples) if (sample.atMs >= from && sample.atMs < to) counts.set(sample.event, (counts.get(sample.event) ?? 0) + 1);
  const waits = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([event, n]) => `${event} ×${n}`).join(', ');
  const longest = (of: readonly WaitRun[]) => of.reduce<WaitRun | null>((a, b) => (!a || b.ms > a.ms ? b : a), null);
  const inWindow = runs.filter((run) => run.startMs >= from && run.startMs < to);
  const isLock = (event: string) => event.startsWith('Lock:');
  return {
    phase,
    ms: to - from,
    transactions: inPhase.length,
    tps: Math.round((inPhase.length * 1000) / (to - from)),
    p99Ms: percentile(inPhase, 99),
    maxMs: maximum(inPhase),
    waits: waits || '–',
    longestWait: longest(inWindow),
    lockSamples: [...counts.entries()].filter(([event]) => isLock(event)).reduce((sum, [, n]) => sum + n, 0),
    longestLockWait: longest(inWindow.filter((run) => isLock(run.event))),
  };
}

/** The load's figures per migration phase: which phase holds the longest stall, and on what it waited. */
export function attribute(scenario: ScenarioFigure): PhaseFigure[] {
  const runs = waitRuns(scenario.waits);
  return windows(scenario).map((w) => figureOf(w.phase, w.from, w.to, scenario.log, runs, scenario.waits));
}

/** Transactions per second the application got while the backfill ran, against the control's whole window. */
export function backfillThroughput(control: ScenarioFigure, bascule: ScenarioFigure): { backfillTps: number; controlTps: number } {
  const backfill = attribute(bascule).find((figure) => figure.phase === 'start: backfill');
  const controlTps = attribute(control)[0]?.tps ?? NaN;
  return { backfillTps: backfill?.tps ?? NaN, controlTps };
}

/** Where the batches' time went, ms: the sum and the worst of each part of a batch's transaction. */
export interface BatchBreakdown {
  batches: number;
  checkpoints: number;
  rows: number;
  parts: Array<{ part: string; totalMs: number; maxMs: number }>;
}

export function batchBreakdown(batches: readonly BatchSample[]): BatchBreakdown {
  const part = (name: string, of: (b: BatchSample) => number) => ({
    part: name,
    totalMs: batches.reduce((sum, b) => sum + of(b), 0),
    maxMs: batches.reduce((max, b) => Math.max(max, of(b)), 0),
  });
  return {
    batches: batches.length,
    checkpoints: batches.filter((b) => b.checkpointMs !== null).length,
    rows: batches.reduce((sum, b) => sum + b.rows, 0),
    parts: [
      part('bound the range (keyset SELECT … OFFSET)', (b) => b.boundMs),
      part('UPDATE', (b) => b.updateMs),
      part('checkpoint upsert', (b) => b.checkpointMs ?? 0),
      part('BEGIN, lock_timeout, COMMIT (round trips), retries', (b) => Math.max(0, b.ms - b.boundMs - b.updateMs - (b.checkpointMs ?? 0))),
      part('whole batch transaction', (b) => b.ms),
    ],
  };
}

/** About `rows` batches spread evenly over the walk (first and last included): the size over time. */
export function batchTimeline(batches: readonly BatchSample[], rows = 12): Array<{ atS: number; batch: number; askedRows: number; ms: number }> {
  if (batches.length === 0) return [];
  const began = batches[0].atMs - batches[0].ms;
  const step = Math.max(1, (batches.length - 1) / (rows - 1));
  const picked = new Set<number>();
  for (let i = 0; i < batches.length; i += step) picked.add(Math.round(i));
  picked.add(batches.length - 1);
  return [...picked].sort((a, b) => a - b).map((i) => ({ atS: (batches[i].atMs - began) / 1000, batch: i + 1, askedRows: batches[i].askedRows, ms: batches[i].ms }));
}
