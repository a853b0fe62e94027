import type { MigrationSpec } from '@bascule/contracts';
import { decideNext } from '../process/decide-next';
import { automaticRollbackReason } from '../rollback/automatic-rollback';
import { decideRollback } from '../rollback/decide-rollback';
import { lookupBaseline, MigrationStream, monitoredSpec } from '../testing/migration-stream';

const ungated = { phases: [], tables: [], risks: [], estimatedSeconds: null };
const manual: MigrationSpec = { ...monitoredSpec, rollback: { automatic: false, window: '1h' } };

/** Both phases ran (the analysis step passed): the migration is expanded and waits out its window. */
function expanded(spec: MigrationSpec = monitoredSpec) {
  return new MigrationStream(spec, ungated)
    .add('MigrationStarted', { requestedBy: 'ana' })
    .add('MonitorBaselineRecorded', lookupBaseline)
    .add('PhaseStarted', { phaseIndex: 0, phase: 'expand' })
    .add('StepDispatched', { phaseIndex: 0, stepId: 'seed', kind: 'sql', commandId: 'c1' })
    .add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 })
    .add('PhaseCompleted', { phaseIndex: 0, phase: 'expand', durationMs: 1 })
    .add('PhaseStarted', { phaseIndex: 1, phase: 'soak' })
    .add('StepDispatched', { phaseIndex: 1, stepId: 'soak', kind: 'analysis', commandId: 'c2' })
    .add('AnalysisStepPassed', { stepId: 'soak', windows: 12, durationMs: 60_000 })
    .add('PhaseCompleted', { phaseIndex: 1, phase: 'soak', durationMs: 60_000 })
    .add('MigrationExpanded', { completeAfter: new Date(3_600_000).toISOString() });
}

function running(spec: MigrationSpec = monitoredSpec) {
  return new MigrationStream(spec, ungated).add('MigrationStarted', { requestedBy: 'ana' }).add('MonitorBaselineRecorded', lookupBaseline).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' });
}

const lookupFailed = (phase: 'running' | 'expanded' | 'completed', stepId: string | null = null) => ({
  stepId,
  metric: 'lookup',
  reason: 'median 12.1 ms is 51% above the baseline 8 ms (more than 20%) in 2 windows in a row',
  baseline: 8,
  current: 12.1,
  threshold: 9.6,
  pValue: 0.00123456,
  samples: { baseline: 120, current: 20 },
  phase,
});

const window = (index: number, failed: boolean) => ({
  window: index,
  phase: 'running',
  metrics: [{ name: 'lookup', verdict: failed ? 'fail' : 'pass', baseline: 8, current: failed ? 12.1 : 8.2, change: failed ? 0.5125 : 0.025, threshold: 9.6, pValue: 0.2, samples: { baseline: 120, current: 20 }, reason: 'r' }],
  failed,
  consecutiveFailures: failed ? 1 : 0,
});

describe('foldMigration: the monitor', () => {
  it('records the baseline, the latest window and each failed analysis, listing windows nowhere in the timeline', () => {
    const s = running().add('AnalysisWindowJudged', window(1, false)).add('AnalysisWindowJudged', window(2, true));
    const state = s.state;
    expect(state.monitor.baseline).toEqual({ recordedAt: new Date(2_000), data: expect.objectContaining({ migrationId: 'm1', durationMs: 30_000 }) });
    expect(state.monitor.lastWindow).toMatchObject({ window: 2, failed: true, consecutiveFailures: 1, at: new Date(5_000) });
    expect(state.status).toBe('running'); // one failed window is not a failed analysis
    expect(state.history.map((entry) => entry.summary)).toEqual([
      'planned by ana',
      'started by ana',
      'monitor baseline recorded in 30000 ms: lookup median 8 (120 samples)',
      'phase "expand" started',
    ]);
  });

  it('fails the migration on a failed analysis with automatic rollback, and the rollback names the metric and its numbers', () => {
    const state = running().add('AnalysisFailed', lookupFailed('running')).state;
    expect(state.status).toBe('failed');
    expect(state.failure).toMatchObject({ code: 'analysis_failed', stepId: null, message: lookupFailed('running').reason });
    expect(state.monitor.failures).toEqual([{ ...lookupFailed('running'), migrationId: 'm1', at: new Date(4_000) }]);
    const reason = 'analysis of metric "lookup" failed (baseline 8, current 12.1, threshold 9.6, p 0.001235): median 12.1 ms is 51% above the baseline 8 ms (more than 20%) in 2 windows in a row';
    expect(automaticRollbackReason(state)).toBe(reason);
    expect(state.history.at(-1)?.summary).toBe(reason);
    expect(decideRollback(state)).toMatchObject({ kind: 'start', compensation: [] }); // seed never ran
  });

  it('rolls back a failure after expanded too: every expanded step is compensated', () => {
    const state = expanded().add('AnalysisFailed', lookupFailed('expanded')).state;
    expect(state.status).toBe('failed');
    expect(automaticRollbackReason(state)).toMatch(/^analysis of metric "lookup" failed \(baseline 8, current 12.1/);
    expect(decideRollback(state)).toMatchObject({ kind: 'start', compensation: [{ stepId: 'seed', action: 'sql.revert' }] });
    expect(decideNext(state, new Date(7_200_000))).toEqual({ events: [], commands: [] }); // no complete once the window elapses
  });

  it('names the analysis step in the rollback reason when its analysis failed', () => {
    expect(expanded().state.phases[1]?.steps[0]?.kind).toBe('analysis');
    const state = running()
      .add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 })
      .add('PhaseCompleted', { phaseIndex: 0, phase: 'expand', durationMs: 1 })
      .add('PhaseStarted', { phaseIndex: 1, phase: 'soak' })
      .add('StepDispatched', { phaseIndex: 1, stepId: 'soak', kind: 'analysis', commandId: 'c2' })
      .add('AnalysisFailed', lookupFailed('running', 'soak'))
      .add('AnalysisStepFailed', { stepId: 'soak', metric: 'lookup', reason: 'failed twice' }).state;
    expect(state.phases[1]?.steps[0]).toMatchObject({ status: 'failed', failure: { code: 'analysis_failed' } });
    expect(automaticRollbackReason(state)).toMatch(/^analysis of metric "lookup" failed in step "soak" \(baseline 8, current 12.1, threshold 9.6/);
  });

  it('pauses for a person without automatic rollback, and resuming carries on where it stood', () => {
    const during = running(manual).add('AnalysisFailed', lookupFailed('running'));
    expect(during.state).toMatchObject({ status: 'paused', paused: true, failure: { code: 'analysis_failed', message: lookupFailed('running').reason } });
    expect(automaticRollbackReason(during.state)).toBeNull();
    expect(decideNext(during.state, new Date())).toEqual({ events: [], commands: [] });
    during.add('MigrationResumed', { requestedBy: 'ana' });
    expect(during.state).toMatchObject({ status: 'running', paused: false, failure: null });
    expect(decideNext(during.state, new Date()).events.map((event) => event.type)).toEqual(['StepDispatched']);

    const after = expanded(manual).add('AnalysisFailed', lookupFailed('expanded'));
    expect(after.state).toMatchObject({ status: 'paused', paused: true });
    // Paused, the window elapsing completes nothing.
    expect(decideNext(after.state, new Date(7_200_000))).toEqual({ events: [], commands: [] });
    after.add('MigrationResumed', { requestedBy: 'ana' });
    expect(after.state).toMatchObject({ status: 'expanded', paused: false, failure: null });
    expect(decideNext(after.state, new Date(7_200_000)).events.map((event) => event.type)).toEqual(['MigrationCompleteRequested']);
  });

  it('records an analysis that fails once the contract began, and a regression after completion, without changing the status', () => {
    const completing = expanded().add('MigrationCompleteRequested', { requestedBy: 'ana', reason: 'requested' }).add('AnalysisFailed', lookupFailed('expanded'));
    expect(completing.state.status).toBe('completing');
    expect(completing.state.failure).toBeNull();

    const completed = completing.add('MigrationCompleted', { durationMs: 1 }).add('RegressionDetected', {
      metric: 'lookup',
      reason: 'median 12.1 ms is 51% above the baseline',
      baseline: 8,
      current: 12.1,
      pValue: 0.01,
    });
    const state = completed.state;
    expect(state.status).toBe('completed');
    expect(state.monitor.regressions).toEqual([expect.objectContaining({ metric: 'lookup', current: 12.1, at: new Date(15_000) })]);
    expect(state.history.at(-1)?.summary).toBe('regression after completion: metric "lookup" (baseline 8, current 12.1, p 0.01): median 12.1 ms is 51% above the baseline');
    expect(automaticRollbackReason(state)).toBeNull();
  });

  it('lists the throttle signal in the timeline', () => {
    const state = running().add('BackfillThrottled', { reason: 'lock waits doubled', metric: 'waits' }).add('BackfillResumed', {}).state;
    expect(state.history.slice(-2).map((entry) => entry.summary)).toEqual(['backfill throttled by metric "waits": lock waits doubled', 'backfill resumed']);
    expect(state.status).toBe('running');
  });
});
