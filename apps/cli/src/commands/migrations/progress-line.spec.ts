import { join } from 'node:path';
import { parseMigrationSpec } from '@bascule/migration-spec';
import { foldMigration, type FoldableEvent } from '@bascule/orchestration';
import { FORWARD_SPEC, readDemoSpec } from '../demo/demo-specs';
import { progressLine } from './progress-line';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

async function eventsOf(...rest: Array<[string, object]>): Promise<FoldableEvent[]> {
  const parsed = await parseMigrationSpec(readDemoSpec(ROOT, FORWARD_SPEC).text);
  if (!parsed.ok) throw new Error('invalid demo spec');
  const planned = {
    migrationId: 'm1',
    name: parsed.spec.name,
    target: 'app',
    spec: parsed.spec,
    plan: { phases: [], tables: [], risks: [], estimatedSeconds: null },
    requestedBy: 'demo',
  };
  return [['MigrationPlanned', planned] as [string, object], ...rest].map(([type, data], index) => ({
    type,
    data: { migrationId: 'm1', ...data },
    streamVersion: index + 1,
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
  }));
}

describe('progressLine', () => {
  it('shows the running phase, its step and the backfill rows', async () => {
    const state = foldMigration(
      await eventsOf(
        ['MigrationStarted', { requestedBy: 'demo' }],
        ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'orders-currency', kind: 'schema', commandId: 'c1' }],
        ['BackfillCheckpointRecorded', { stepId: 'orders-currency', target: 'app', schema: 'public', table: 'orders', rowsDone: 12000, rowsTotal: 30000, lastKey: null }],
      ),
    );
    expect(progressLine(state)).toBe('running · phase 1/3 "expand" running · orders-currency running, backfill orders 12,000/30,000 (40%)');
  });

  it('says when every step of the phase is done and the gate is checking the data', async () => {
    const state = foldMigration(
      await eventsOf(
        ['MigrationStarted', { requestedBy: 'demo' }],
        ['PhaseStarted', { phaseIndex: 1, phase: 'reference-data' }],
        ['StepDispatched', { phaseIndex: 1, stepId: 'currencies-table', kind: 'sql', commandId: 'c2' }],
        ['SqlStepApplied', { stepId: 'currencies-table', target: 'app', durationMs: 3, rowsAffected: 3 }],
      ),
    );
    expect(progressLine(state)).toBe('running · phase 2/3 "reference-data" running · currencies-table succeeded · verifying the phase');
  });

  it('names the failure and the rollback progress', async () => {
    const state = foldMigration(
      await eventsOf(
        ['MigrationStarted', { requestedBy: 'demo' }],
        ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'orders-currency', kind: 'schema', commandId: 'c1' }],
        ['RollbackStarted', { trigger: 'on-call', reason: 'slow', requestedBy: 'alice', receivedAt: '2026-01-01T00:00:04.000Z', compensation: [{ stepId: 'orders-currency', kind: 'schema', action: 'schema.rollback', commandId: 'c3' }] }],
      ),
    );
    expect(progressLine(state)).toBe('rolling_back · compensated 0/1');
  });
});
