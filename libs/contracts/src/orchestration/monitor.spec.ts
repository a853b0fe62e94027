import { COMMAND_NAMES } from '../command-catalog';
import { AnalysisFailed, MAX_BASELINE_VALUES, MonitorBaselineRecorded, RunAnalysisStep, TakeMonitorBaseline } from './monitor';

const commandId = '6f1c2a9e-3b7d-5c1e-9f0a-2b3c4d5e6f70';

describe('monitor contracts', () => {
  it('lists the monitor commands in the catalog, so the commands stream accepts them', () => {
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['monitor.baseline', 'monitor.analyze']));
  });

  it('takes no metric, SQL or address from a command: the monitor reads them from the stored spec', () => {
    expect(TakeMonitorBaseline.schema.parse({ migrationId: 'm1', target: 'app', commandId, sql: 'DELETE FROM t' })).toEqual({ migrationId: 'm1', target: 'app', commandId });
    expect(RunAnalysisStep.schema.safeParse({ migrationId: 'm1', target: 'app', commandId }).success).toBe(false);
    expect(RunAnalysisStep.schema.safeParse({ migrationId: 'm1', target: 'app', commandId, stepId: 'soak' }).success).toBe(true);
  });

  it('keeps at most 2000 raw samples per metric in a baseline', () => {
    const metric = (values: number[]) => ({ name: 'lookup', source: 'probe', direction: 'lower-is-better', samples: values.length, median: 1, p95: 2, errorRate: 0, values });
    const baseline = (values: number[]) => MonitorBaselineRecorded.schema.safeParse({ migrationId: 'm1', metrics: [metric(values)], durationMs: 30_000 });
    expect(baseline(new Array<number>(MAX_BASELINE_VALUES).fill(1)).success).toBe(true);
    expect(baseline(new Array<number>(MAX_BASELINE_VALUES + 1).fill(1)).success).toBe(false);
  });

  it('names the metric, its numbers and where the migration stood in a failed analysis', () => {
    const failed = {
      migrationId: 'm1',
      stepId: null,
      metric: 'lookup',
      reason: 'median 12.1 ms is 51% above the baseline 8.0 ms (more than 20%)',
      baseline: 8,
      current: 12.1,
      threshold: 9.6,
      pValue: 0.001,
      samples: { baseline: 120, current: 20 },
      phase: 'expanded',
    };
    expect(AnalysisFailed.schema.parse(failed)).toEqual(failed);
    expect(AnalysisFailed.schema.safeParse({ ...failed, phase: 'completing' }).success).toBe(false);
  });
});
