import type { MigrationSpec } from '@bascule/contracts';
import { foldMigration, type FoldableEvent } from '@bascule/orchestration';
import { migrationReport } from './migration-report';

const spec: MigrationSpec = {
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [{ name: 'expand', steps: [{ id: 'ok', approval: {} }, { id: 'seed', sql: { up: 'select 1', down: 'select 2' } }] }],
};

function events(...rest: Array<[string, Record<string, unknown>]>): FoldableEvent[] {
  const plan = { phases: [{ name: 'expand', steps: [] }], tables: [], risks: [], estimatedSeconds: null };
  return [['MigrationPlanned', { name: 'demo', target: 'app', spec, plan, requestedBy: 'ana' }] as [string, Record<string, unknown>], ...rest].map(([type, data], index) => ({
    type,
    data: { migrationId: 'm1', ...data },
    streamVersion: index + 1,
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
  }));
}

describe('migrationReport', () => {
  it('says who started, approved and rolled back, and why', () => {
    const report = migrationReport(
      foldMigration(
        events(
          ['MigrationStarted', { requestedBy: 'ana' }],
          ['StepDispatched', { phaseIndex: 0, stepId: 'ok', kind: 'approval', commandId: 'c' }],
          ['StepApproved', { stepId: 'ok', approvedBy: 'bo' }],
          ['StepDispatched', { phaseIndex: 0, stepId: 'seed', kind: 'sql', commandId: 'd' }],
          ['SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 }],
          ['DataCompared', { label: 'after-phase-0', against: 'before-phase-0', mode: 'no-loss', passed: false, durationMs: 1, tables: [{ table: 'public.t', equal: false, rowCount: 9, baselineRowCount: 10 }], equivalence: [{ table: 't', column: 'c', checkedRows: 10, mismatchedRows: 1 }] }],
          ['RollbackStarted', { trigger: 'on-call', reason: 'errors up', requestedBy: 'cy', receivedAt: '2026-01-01T00:00:07Z', compensation: [{ stepId: 'seed', kind: 'sql', action: 'sql.revert', commandId: 'e' }] }],
          ['SqlStepReverted', { stepId: 'seed', target: 'app', durationMs: 1 }],
          ['MigrationRolledBack', { durationMs: 120, compensated: ['seed'] }],
        ),
      ),
    );
    expect(report).toContain('Status: **rolled_back**');
    expect(report).toContain('Started by ana');
    expect(report).toMatch(/\| expand \| ok \| approval \| succeeded \| 1000 ms \| approved by bo \|/);
    expect(report).toContain('`after-phase-0` against `before-phase-0`: FAILED — public.t differs (10 → 9 rows), t.c = up(old): 9/10 rows');
    expect(report).toContain('Trigger: on-call, requested by cy: errors up');
    expect(report).toContain('rolled back in 120 ms');
  });

  it('shows the monitor\'s baseline, latest window and failed analysis with their numbers', () => {
    const monitored = { ...spec, monitor: { baseline: '30s', interval: '5s', failureLimit: 2, watch: '1h', metrics: [{ name: 'lookup', probe: { sql: 'SELECT 1', every: '1s' }, degradation: '20%', direction: 'lower-is-better' }] } } as MigrationSpec;
    const plan = { phases: [{ name: 'expand', steps: [] }], tables: [], risks: [], estimatedSeconds: null };
    const baseline = { name: 'lookup', source: 'probe', direction: 'lower-is-better', samples: 120, median: 0.8, p95: 1.2, errorRate: 0, values: [0.8] };
    const verdict = { name: 'lookup', verdict: 'fail', baseline: 0.8, current: 8.9, change: 10.1, threshold: 0.96, pValue: 0.00001, samples: { baseline: 120, current: 30 }, reason: 'median 8.9 ms vs baseline 0.8 ms: 1012 % worse' };
    const list: FoldableEvent[] = [
      ['MigrationPlanned', { name: 'demo', target: 'app', spec: monitored, plan, requestedBy: 'ana' }],
      ['MigrationStarted', { requestedBy: 'ana' }],
      ['MonitorBaselineRecorded', { metrics: [baseline], durationMs: 30000 }],
      ['AnalysisWindowJudged', { window: 3, phase: 'running', metrics: [verdict], failed: true, consecutiveFailures: 2 }],
      ['AnalysisFailed', { stepId: null, metric: 'lookup', reason: 'lookup: median 8.9 ms vs baseline 0.8 ms: 1012 % worse (2 failed windows in a row)', baseline: 0.8, current: 8.9, threshold: 0.96, pValue: 0.00001, samples: { baseline: 120, current: 30 }, phase: 'running' }],
    ].map(([type, data], index) => ({ type: type as string, data: { migrationId: 'm1', ...(data as object) }, streamVersion: index + 1, recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)) }));
    const report = migrationReport(foldMigration(list));
    expect(report).toContain('## Performance');
    expect(report).toContain('| lookup | probe | 0.8 | 1.2 | 120 | 8.9 | fail: median 8.9 ms vs baseline 0.8 ms: 1012 % worse |');
    expect(report).toMatch(/- Analysis failed \(running\) at .*: lookup: median 8\.9 ms vs baseline 0\.8 ms/);
  });
});
