import type { MigrationSpec } from '@bascule/contracts';
import { foldMigration, type FoldableEvent } from '../state/fold-migration';
import { automaticRollbackReason } from './automatic-rollback';
import { decideRollback } from './decide-rollback';
import { nextRollbackAction, type RollbackAction } from './next-rollback-action';
import { compensationCommand, restorationCheck } from './rollback-commands';
import { rollbackEventIds } from './rollback-event-ids';

const spec = (automatic = true): MigrationSpec => ({
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic, window: '0s' },
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { schema: 'sales', operations: [{ add_column: { table: 't', column: { name: 'c', type: 'int', nullable: true } } }] } },
        { id: 'seed', dependsOn: ['widen'], sql: { up: 'insert 1', down: 'delete 1' } },
        { id: 'once', sql: { up: 'select 1', irreversible: true } },
      ],
    },
  ],
});

function stream(planned: MigrationSpec, ...rest: Array<[string, Record<string, unknown>]>) {
  const all: Array<[string, unknown]> = [
    ['MigrationPlanned', { name: 'demo', target: 'app', spec: planned, plan: { phases: [], tables: [], risks: [], estimatedSeconds: null }, requestedBy: 'ana' }],
    ...rest,
  ];
  return foldMigration(all.map(([type, data], index): FoldableEvent => ({ type, data: { migrationId: 'm1', ...(data as object) }, streamVersion: index + 1, recordedAt: new Date(1_000 * index) })));
}

const started: Array<[string, Record<string, unknown>]> = [
  ['MigrationStarted', { requestedBy: 'ana' }],
  ['BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 }],
  ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }],
  ['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'sales', versionSchema: 'sales_widen', durationMs: 5 }],
  ['StepDispatched', { phaseIndex: 0, stepId: 'seed', kind: 'sql', commandId: 'c2' }],
];

const rollbackStarted = (state: ReturnType<typeof stream>) => {
  const decision = decideRollback(state);
  if (decision.kind !== 'start') throw new Error(`expected start, got ${decision.kind}`);
  return ['RollbackStarted', { trigger: 'on-call', reason: 'p99', requestedBy: 'bob', receivedAt: new Date(5_000).toISOString(), compensation: decision.compensation }] as [string, Record<string, unknown>];
};

function restoration(passed: boolean, differences: string[] = []): [string, Record<string, unknown>] {
  return ['DataCompared', { label: 'restoration', against: 'before-phase-0', mode: 'no-loss', passed, tables: [], equivalence: [], schema: { equal: differences.length === 0, differences }, durationMs: 1 }];
}

function sent(action: RollbackAction) {
  if (action.kind !== 'send') throw new Error(`expected send, got ${action.kind}`);
  return action.compensation;
}

describe('rollback decisions', () => {
  it('rejects what cannot be rolled back, with the code saying why', () => {
    expect(decideRollback(null)).toMatchObject({ kind: 'reject', code: 'unknown_migration' });
    expect(decideRollback(stream(spec()))).toMatchObject({ kind: 'reject', code: 'not_started' });
    expect(decideRollback(stream(spec(), ['MigrationStarted', { requestedBy: 'a' }], ['MigrationCompleteRequested', { requestedBy: 'a', reason: 'requested' }]))).toMatchObject({ code: 'completed' });
    expect(decideRollback(stream(spec(), ['MigrationStarted', { requestedBy: 'a' }], ['MigrationCompleted', { durationMs: 1 }]))).toMatchObject({ code: 'completed' });
    const irreversible = stream(spec(), ['MigrationStarted', { requestedBy: 'a' }], ['StepDispatched', { phaseIndex: 0, stepId: 'once', kind: 'sql', commandId: 'c3' }]);
    expect(decideRollback(irreversible)).toMatchObject({ kind: 'reject', code: 'irreversible', message: expect.stringContaining('"once"') });
  });

  it('starts with the compensations in reverse order, then treats a repeat as a duplicate and a verified one as already rolled back', () => {
    const state = stream(spec(), ...started);
    const decision = decideRollback(state);
    expect(decision).toMatchObject({ kind: 'start', compensation: [{ stepId: 'seed', action: 'sql.revert' }, { stepId: 'widen', action: 'schema.rollback' }] });
    const rolling = stream(spec(), ...started, rollbackStarted(state));
    expect(decideRollback(rolling)).toEqual({ kind: 'already_rolling_back' });
    const compensated: Array<[string, Record<string, unknown>]> = [...started, rollbackStarted(state), ['MigrationRolledBack', { durationMs: 1, compensated: [] }]];
    // Every compensation ran, but `rolled_back` waits for the restoration check.
    const unchecked = stream(spec(), ...compensated);
    expect(unchecked.status).toBe('rolling_back');
    expect(nextRollbackAction(unchecked)).toEqual({ kind: 'verify' });
    expect(decideRollback(unchecked)).toEqual({ kind: 'already_rolling_back' });
    const verified = stream(spec(), ...compensated, restoration(true));
    expect(verified.status).toBe('rolled_back');
    expect(nextRollbackAction(verified)).toEqual({ kind: 'none' });
    expect(decideRollback(verified)).toMatchObject({ kind: 'reject', code: 'already_rolled_back' });
  });

  it('a restoration check that finds the target changed ends in rollback_failed naming what differs; a retry checks again', () => {
    const state = stream(spec(), ...started);
    const compensated: Array<[string, Record<string, unknown>]> = [
      ...started,
      rollbackStarted(state),
      ['SqlStepReverted', { stepId: 'seed', target: 'app', durationMs: 1 }],
      ['SchemaStepRolledBack', { stepId: 'widen', target: 'app', schema: 'sales', durationMs: 1 }],
      ['MigrationRolledBack', { durationMs: 1, compensated: ['seed', 'widen'] }],
    ];
    const mismatch = stream(spec(), ...compensated, restoration(false, ['sales.t: column c integer is gone', 'sales.t: column c bigint is new']));
    expect(mismatch.status).toBe('rollback_failed');
    expect(mismatch.rollback?.failure).toMatchObject({ stepId: null, code: 'restoration_mismatch', message: expect.stringContaining('sales.t: column c bigint is new') });
    const unverified = stream(spec(), ...compensated, ['VerificationErrored', { command: 'verify.compare', label: 'restoration', stepId: null, code: 'TABLE_NOT_FOUND', message: 'no table t' }]);
    expect(unverified.status).toBe('rollback_failed');
    expect(unverified.rollback?.failure?.message).toMatch(/the restoration check could not run: no table t/);

    const retry = decideRollback(mismatch);
    expect(retry).toEqual({ kind: 'start', compensation: [] });
    const retried = stream(spec(), ...compensated, restoration(false, ['x']), [
      'RollbackStarted',
      { trigger: 'on-call', reason: 'again', requestedBy: 'bob', receivedAt: new Date(9_000).toISOString(), compensation: [] },
    ]);
    expect(nextRollbackAction(retried)).toEqual({ kind: 'finish', compensated: [] });
    expect(restorationCheck(retried)?.commandId).not.toBe(restorationCheck(unverified)?.commandId);
  });

  it('runs compensations one at a time and finishes after the last outcome', () => {
    const begin = stream(spec(), ...started);
    const withStart = [...started, rollbackStarted(begin)];
    const first = nextRollbackAction(stream(spec(), ...withStart));
    expect(first).toMatchObject({ kind: 'send', compensation: { stepId: 'seed' } });
    expect(compensationCommand(begin, sent(first))).toEqual({
      name: 'sql.revert',
      payload: expect.objectContaining({ stepId: 'seed', target: 'app', down: 'delete 1' }),
    });
    const afterSeed: Array<[string, Record<string, unknown>]> = [...withStart, ['SqlStepReverted', { stepId: 'seed', target: 'app', durationMs: 1 }]];
    const second = nextRollbackAction(stream(spec(), ...afterSeed));
    expect(second).toMatchObject({ kind: 'send', compensation: { stepId: 'widen' } });
    expect(compensationCommand(begin, sent(second))).toMatchObject({ name: 'schema.rollback', payload: { schema: 'sales' } });
    const done = stream(spec(), ...afterSeed, ['SchemaStepRolledBack', { stepId: 'widen', target: 'app', schema: 'sales', durationMs: 1 }]);
    expect(nextRollbackAction(done)).toEqual({ kind: 'finish', compensated: ['seed', 'widen'] });
    expect(restorationCheck(done)).toMatchObject({ label: 'restoration', against: 'before-phase-0', mode: 'no-loss', schema: true });
  });

  it('stops on a failed compensation, but a schema step that never started on the target needs no undo', () => {
    const begin = stream(spec(), ...started);
    const withStart = [...started, rollbackStarted(begin)];
    const failed = stream(spec(), ...withStart, ['SqlStepFailed', { stepId: 'seed', target: 'app', phase: 'revert', code: 'sql_revert_failed', message: 'boom', pgCode: '42P01' }]);
    expect(nextRollbackAction(failed)).toEqual({ kind: 'fail', stepId: 'seed', code: 'sql_revert_failed', message: 'boom' });
    const nothingThere = stream(
      spec(),
      ...withStart,
      ['SqlStepReverted', { stepId: 'seed', target: 'app', durationMs: 1 }],
      ['SchemaStepFailed', { stepId: 'widen', target: 'app', schema: 'sales', phase: 'rollback', code: 'NO_ACTIVE_MIGRATION', message: 'none', pgCode: null, operationIndex: null }],
    );
    // widen had reported expanded: a target with no active migration means someone else contracted or undid it.
    expect(nextRollbackAction(nothingThere)).toMatchObject({ kind: 'fail', stepId: 'widen', code: 'EXPANSION_GONE' });

    const neverExpanded = started.filter(([type]) => type !== 'SchemaStepExpanded');
    const beginUnexpanded = stream(spec(), ...neverExpanded);
    const startNeverTookEffect = stream(
      spec(),
      ...neverExpanded,
      rollbackStarted(beginUnexpanded),
      ['SqlStepReverted', { stepId: 'seed', target: 'app', durationMs: 1 }],
      ['SchemaStepFailed', { stepId: 'widen', target: 'app', schema: 'sales', phase: 'rollback', code: 'NO_ACTIVE_MIGRATION', message: 'none', pgCode: null, operationIndex: null }],
    );
    expect(nextRollbackAction(startNeverTookEffect)).toEqual({ kind: 'finish', compensated: ['seed', 'widen'] });
  });

  it('rolls back automatically only when the spec says so and no rollback was tried', () => {
    const failure: [string, Record<string, unknown>] = ['SqlStepFailed', { stepId: 'seed', target: 'app', phase: 'apply', code: 'sql_failed', message: 'bad', pgCode: '42601' }];
    expect(automaticRollbackReason(stream(spec(), ...started, failure))).toMatch(/step "seed" failed: \[sql_failed\] bad/);
    expect(automaticRollbackReason(stream(spec(false), ...started, failure))).toBeNull();
    expect(automaticRollbackReason(stream(spec(), ...started))).toBeNull();
  });

  it('derives event ids from the decision, and new compensation ids for a retry after a failed rollback', () => {
    const state = stream(spec(), ...started);
    expect(rollbackEventIds.started(state)).toBe(rollbackEventIds.started(stream(spec(), ...started)));
    expect(rollbackEventIds.rejected('m1', 'msg-1')).not.toBe(rollbackEventIds.rejected('m1', 'msg-2'));
    const failedRollback = stream(spec(), ...started, rollbackStarted(state), ['RollbackFailed', { stepId: 'seed', code: 'x', message: 'y' }]);
    const retry = decideRollback(failedRollback);
    const first = decideRollback(state);
    expect(retry.kind).toBe('start');
    expect((retry as { compensation: Array<{ commandId: string }> }).compensation[0]!.commandId).not.toBe((first as { compensation: Array<{ commandId: string }> }).compensation[0]!.commandId);
  });
});
