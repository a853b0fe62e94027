import { foldMigration, type FoldableEvent, type MigrationState } from '@bascule/orchestration';
import { watchOutcome } from './watch-outcome';

function stateWith(status: MigrationState['status'], automatic = true): MigrationState {
  const spec = { name: 'm', target: 'app', phases: [{ name: 'only', steps: [{ id: 'touch', sql: { up: 'SELECT 1', down: 'SELECT 1' } }] }], rollback: { automatic, window: '1h' } };
  const planned: FoldableEvent = {
    type: 'MigrationPlanned',
    data: { migrationId: 'm1', name: 'm', target: 'app', spec, plan: { phases: [], tables: [], risks: [], estimatedSeconds: null }, requestedBy: 'ana' },
    streamVersion: 1,
    recordedAt: new Date(Date.UTC(2026, 0, 1)),
  };
  const state = foldMigration([planned]);
  // The outcome reads the status (and, for failed, whether an automatic rollback is due): set them as a fold would.
  return { ...state, status, startedAt: new Date(Date.UTC(2026, 0, 1, 0, 1)) };
}

describe('watchOutcome', () => {
  it.each([
    ['expanded', 0],
    ['completed', 0],
    ['rolled_back', 10],
    ['rollback_failed', 11],
    ['paused', 12],
  ] as const)('ends the watch at %s with exit %i', (status, exitCode) => {
    expect(watchOutcome(stateWith(status))).toMatchObject({ status, exitCode });
  });

  it.each(['planned', 'running', 'completing', 'rolling_back'] as const)('keeps watching while %s: something is about to move it', (status) => {
    expect(watchOutcome(stateWith(status))).toBeNull();
  });

  it('keeps watching a failed migration whose automatic rollback is due, and ends at one without (exit 11)', () => {
    expect(watchOutcome(stateWith('failed', true))).toBeNull();
    expect(watchOutcome(stateWith('failed', false))).toMatchObject({ status: 'failed', exitCode: 11 });
  });
});
