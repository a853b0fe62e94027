import type { MigrationSpec } from '@bascule/contracts';
import { bindCommand } from '../binding/bind-command';
import { compensationFor } from '../decisions/compensation-for';
import { automaticRollbackReason } from '../rollback/automatic-rollback';
import { demoPlan, MigrationStream } from '../testing/migration-stream';
import { dispatchCommandId } from './step-commands';

/** A backup of the tables an sql step rewrites, the step waiting for it, and a step before both. */
const spec: MigrationSpec = {
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'seed', sql: { up: 'select 1', down: 'select 2' } },
        { id: 'snap', dependsOn: ['seed'], backup: { tables: ['t', 'audit.log'] } },
        { id: 'rewrite', dependsOn: ['snap'], sql: { up: 'update t set c = 0', down: 'select 3' } },
      ],
    },
  ],
};

const taken = {
  stepId: 'snap',
  target: 'app',
  path: '/backups/m1-snap-20260101T000000000Z.dump',
  sizeBytes: 4096,
  format: 'custom',
  tables: [{ table: 't', rowCount: 10, checksum: '42' }],
  restoreCheck: { database: 'bascule_backup_check_1', tables: [], passed: true, durationMs: 5 },
  durationMs: 9,
};

function untilBackup(): MigrationStream {
  const s = new MigrationStream(spec, demoPlan).add('MigrationStarted', { requestedBy: 'ana' });
  s.step();
  s.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
  s.step();
  s.add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
  return s;
}

describe('backup steps', () => {
  it('dispatches backup.take with the spec\'s tables, and holds the steps that depend on it until BackupTaken', () => {
    const s = untilBackup();
    const dispatch = s.step();
    expect(dispatch.events).toMatchObject([{ type: 'StepDispatched', data: { stepId: 'snap', kind: 'backup' } }]);
    expect(dispatch.commands).toEqual([
      { definition: 'backup.take', commandId: dispatchCommandId('m1', 'snap'), payload: { migrationId: 'm1', stepId: 'snap', target: 'app', commandId: dispatchCommandId('m1', 'snap'), tables: ['t', 'audit.log'] } },
    ]);
    expect(s.state.phases[0]?.steps.find((step) => step.id === 'snap')?.status).toBe('running');
    expect(s.decide().commands.map((command) => command.definition)).toEqual([]);

    s.add('BackupTaken', taken);
    expect(s.state.phases[0]?.steps.find((step) => step.id === 'snap')?.status).toBe('succeeded');
    const next = s.step();
    expect(next.commands.map((command) => [command.definition, command.payload['stepId']])).toEqual([['sql.apply', 'rewrite']]);
  });

  it('binds backup.take only as the dispatched command of that step', () => {
    const s = untilBackup();
    s.step();
    const claim = { name: 'backup.take' as const, migrationId: 'm1', stepId: 'snap', commandId: dispatchCommandId('m1', 'snap') };
    const bound = bindCommand(s.state, claim);
    expect(bound).toMatchObject({ bound: true, command: { definition: 'backup.take', payload: { tables: ['t', 'audit.log'] } } });
    expect(bindCommand(s.state, { ...claim, name: 'verify.step' })).toMatchObject({ bound: false, code: 'not_dispatched' });
    expect(bindCommand(s.state, { ...claim, stepId: 'rewrite', commandId: dispatchCommandId('m1', 'rewrite') })).toMatchObject({ bound: false });
  });

  it('BackupFailed fails the step and the migration; the rollback compensates what ran and has nothing to undo for the backup', () => {
    const s = untilBackup();
    s.step();
    s.add('BackupFailed', { stepId: 'snap', target: 'app', code: 'RESTORE_FAILED', message: 'pg_restore exited with 1: could not read input file' });
    const state = s.state;
    expect(state.phases[0]?.steps.find((step) => step.id === 'snap')).toMatchObject({ status: 'failed', failure: { code: 'RESTORE_FAILED' } });
    expect(state.status).toBe('failed');
    expect(state.failure).toMatchObject({ stepId: 'snap', code: 'RESTORE_FAILED', message: expect.stringContaining('pg_restore') });
    expect(automaticRollbackReason(state)).toBe('step "snap" failed: [RESTORE_FAILED] pg_restore exited with 1: could not read input file');
    expect(compensationFor(state).map((step) => step.stepId)).toEqual(['seed']);
    expect(state.history.at(-1)?.summary).toContain('pg_restore exited with 1');
  });

  it('a taken backup is not compensated either: the file stays', () => {
    const s = untilBackup();
    s.step();
    s.add('BackupTaken', taken);
    expect(compensationFor(s.state).map((step) => step.stepId)).toEqual(['seed']);
  });
});
