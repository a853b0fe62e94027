import { demoPlan, demoSpec, demoTable, lookupBaseline, MigrationStream as Stream, monitoredSpec } from '../testing/migration-stream';
import { decideNext } from './decide-next';
import { monitorBaselineCommandId } from './monitor-baseline';
import { dispatchCommandId } from './step-commands';
import type { ProcessDecision } from './process-decision';

const names = (decision: ProcessDecision) => ({ events: decision.events.map((e) => e.type), commands: decision.commands.map((c) => c.definition) });
const started = (spec = monitoredSpec) => new Stream(spec).add('MigrationStarted', { requestedBy: 'ana' });

describe('decideNext with a monitor', () => {
  it('asks for the monitor baseline before phase 0 starts, again on every decision until it is recorded', () => {
    const s = started();
    const first = s.step();
    expect(names(first)).toEqual({ events: [], commands: ['monitor.baseline'] });
    expect(first.commands[0]?.payload).toEqual({ migrationId: 'm1', target: 'app', commandId: monitorBaselineCommandId('m1') });
    expect(s.state.phases[0]?.status).toBe('pending');
    // Not recorded yet (a monitor restarting, a lost message): the same command, the same id.
    const again = s.step(new Date(500_000));
    expect(again.commands).toEqual(first.commands);

    s.add('MonitorBaselineRecorded', lookupBaseline);
    expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: ['verify.baseline'] });
    expect(s.state.monitor.baseline).toMatchObject({ data: { metrics: [expect.objectContaining({ name: 'lookup', median: 8 })] } });
  });

  it('sends no monitor baseline without a monitor section, nor while paused', () => {
    expect(names(started(demoSpec).step())).toEqual({ events: ['PhaseStarted'], commands: ['verify.baseline'] });
    expect(names(started().add('MigrationPaused', { requestedBy: 'ana' }).decide())).toEqual({ events: [], commands: [] });
  });

  it('dispatches an analysis step to the monitor and goes on once it passed', () => {
    const s = new Stream(monitoredSpec, { ...demoPlan, tables: [{ ...demoTable, exists: false }] }).add('MigrationStarted', { requestedBy: 'ana' });
    s.add('MonitorBaselineRecorded', lookupBaseline);
    expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: [] });
    s.step(); // seed
    s.add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
    expect(names(s.step())).toEqual({ events: ['PhaseCompleted'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: [] });

    const soak = s.step();
    expect(names(soak)).toEqual({ events: ['StepDispatched'], commands: ['monitor.analyze'] });
    expect(soak.events[0]?.data).toMatchObject({ stepId: 'soak', kind: 'analysis', commandId: dispatchCommandId('m1', 'soak') });
    expect(soak.commands[0]?.payload).toEqual({ migrationId: 'm1', stepId: 'soak', target: 'app', commandId: dispatchCommandId('m1', 'soak') });
    expect(s.state.phases[1]?.steps[0]).toMatchObject({ kind: 'analysis', status: 'running' });
    expect(names(s.step())).toEqual({ events: [], commands: [] }); // the analysis takes its minute

    s.add('AnalysisStepPassed', { stepId: 'soak', windows: 12, durationMs: 60_000 });
    expect(s.state.phases[1]?.steps[0]?.status).toBe('succeeded');
    expect(names(s.step())).toEqual({ events: ['PhaseCompleted'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['MigrationExpanded'], commands: [] });
  });

  it('stops the migration when the analysis step fails, naming the metric', () => {
    const s = new Stream(monitoredSpec, { ...demoPlan, tables: [] }).add('MigrationStarted', { requestedBy: 'ana' }).add('MonitorBaselineRecorded', lookupBaseline);
    s.add('PhaseStarted', { phaseIndex: 0, phase: 'expand' }).add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
    s.add('PhaseCompleted', { phaseIndex: 0, phase: 'expand', durationMs: 1 }).add('PhaseStarted', { phaseIndex: 1, phase: 'soak' });
    s.step();
    s.add('AnalysisStepFailed', { stepId: 'soak', metric: 'lookup', reason: 'median 12 ms is 50% above the baseline 8 ms' });
    expect(s.state.status).toBe('failed');
    expect(s.state.failure).toMatchObject({ stepId: 'soak', code: 'analysis_failed', message: 'metric "lookup": median 12 ms is 50% above the baseline 8 ms' });
    expect(s.state.phases[1]?.status).toBe('failed');
    expect(names(s.decide())).toEqual({ events: [], commands: [] });
  });

  it('re-sends a running analysis step after a restart, under its dispatch id', () => {
    const s = new Stream(monitoredSpec, { ...demoPlan, tables: [] }).add('MigrationStarted', { requestedBy: 'ana' }).add('MonitorBaselineRecorded', lookupBaseline);
    s.add('PhaseStarted', { phaseIndex: 0, phase: 'expand' }).add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
    s.add('PhaseCompleted', { phaseIndex: 0, phase: 'expand', durationMs: 1 }).add('PhaseStarted', { phaseIndex: 1, phase: 'soak' });
    s.step();
    expect(s.decide().commands).toEqual([]);
    const resent = decideNext(s.state, new Date(), { resendInFlight: true });
    expect(resent.commands).toEqual([{ definition: 'monitor.analyze', commandId: dispatchCommandId('m1', 'soak'), payload: expect.objectContaining({ stepId: 'soak' }) }]);
  });
});
