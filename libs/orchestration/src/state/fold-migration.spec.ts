import type { MigrationSpec } from '@bascule/contracts';
import { compensationFor } from '../decisions/compensation-for';
import { readySteps } from '../decisions/ready-steps';
import { foldMigration, foldOnto, type FoldableEvent } from './fold-migration';

const spec: MigrationSpec = {
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '0s' },
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { schema: 'public', operations: [{ add_column: { table: 't', column: { name: 'c', type: 'int', nullable: true } } }] } },
        { id: 'seed', dependsOn: ['widen'], sql: { up: 'select 1', down: 'select 2' } },
        { id: 'side', sql: { up: 'select 3', down: 'select 4' } },
      ],
    },
    { name: 'check', steps: [{ id: 'integrity', verify: { tables: ['t'], checksums: true } }] },
  ],
};

function stream(...rest: Array<[string, Record<string, unknown>]>): FoldableEvent[] {
  const all: Array<[string, unknown]> = [['MigrationPlanned', { migrationId: 'm1', name: 'demo', target: 'app', spec, plan: { phases: [], tables: [], risks: [], estimatedSeconds: null }, requestedBy: 'ana' }], ...rest];
  return all.map(([type, data], index) => ({ type, data: { migrationId: 'm1', ...(data as object) }, streamVersion: index + 1, recordedAt: new Date(1_000 * index) }));
}

describe('foldMigration', () => {
  it('starts planned, with every step pending and its wave from dependsOn', () => {
    const state = foldMigration(stream());
    expect(state.status).toBe('planned');
    expect(state.phases[0].steps.map((step) => [step.id, step.wave, step.status])).toEqual([
      ['widen', 0, 'pending'],
      ['seed', 1, 'pending'],
      ['side', 0, 'pending'],
    ]);
  });

  it('offers a step only once the steps it depends on succeeded', () => {
    const running = foldMigration(stream(['MigrationStarted', { requestedBy: 'ana' }], ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }]));
    expect(readySteps(running, running.phases[0]).map((step) => step.id)).toEqual(['widen', 'side']);
    const afterWiden = foldMigration(
      stream(
        ['MigrationStarted', { requestedBy: 'ana' }],
        ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'side', kind: 'sql', commandId: 'c2' }],
        ['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'public_widen', durationMs: 5 }],
      ),
    );
    expect(readySteps(afterWiden, afterWiden.phases[0]).map((step) => step.id)).toEqual(['seed']);
  });

  it('fails the migration on a failed step and names it', () => {
    const state = foldMigration(
      stream(
        ['MigrationStarted', { requestedBy: 'ana' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'side', kind: 'sql', commandId: 'c2' }],
        ['SqlStepFailed', { stepId: 'side', target: 'app', phase: 'apply', code: 'sql_failed', message: 'boom', pgCode: '42P01' }],
      ),
    );
    expect(state.status).toBe('failed');
    expect(state.failure).toMatchObject({ stepId: 'side', code: 'sql_failed', pgCode: '42P01' });
  });

  it('compensates later waves first and includes a step still in flight', () => {
    const state = foldMigration(
      stream(
        ['MigrationStarted', { requestedBy: 'ana' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'side', kind: 'sql', commandId: 'c2' }],
        ['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'public_widen', durationMs: 5 }],
        ['SqlStepApplied', { stepId: 'side', target: 'app', durationMs: 1, rowsAffected: 0 }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'seed', kind: 'sql', commandId: 'c3' }],
      ),
    );
    expect(compensationFor(state).map((step) => [step.stepId, step.action])).toEqual([
      ['seed', 'sql.revert'],
      ['side', 'sql.revert'],
      ['widen', 'schema.rollback'],
    ]);
    expect(compensationFor(state)[0].commandId).toBe(compensationFor(state)[0].commandId);
  });

  it('ends rolled back once the rollback-manager says so, with each compensation recorded', () => {
    const state = foldMigration(
      stream(
        ['MigrationStarted', { requestedBy: 'ana' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }],
        ['RollbackStarted', { trigger: 'on-call', reason: 'latency', requestedBy: 'bob', receivedAt: new Date(0).toISOString(), compensation: [{ stepId: 'widen', kind: 'schema', action: 'schema.rollback', commandId: 'x' }] }],
        ['SchemaStepFailed', { stepId: 'widen', target: 'app', schema: 'public', phase: 'start', code: 'backfill_interrupted', message: 'stopped', pgCode: null, operationIndex: 0 }],
        ['SchemaStepRolledBack', { stepId: 'widen', target: 'app', schema: 'public', durationMs: 3 }],
        ['MigrationRolledBack', { durationMs: 120, compensated: ['widen'] }],
      ),
    );
    expect(state.status).toBe('rolled_back');
    expect(state.rollback).toMatchObject({ trigger: 'on-call', requestedBy: 'bob', compensated: ['widen'], durationMs: 120 });
    expect(state.phases[0].steps[0].status).toBe('compensated');
  });

  it('keeps a step compensated when its apply outcome lands after its revert (both append after their own commits)', () => {
    const state = foldMigration(
      stream(
        ['MigrationStarted', { requestedBy: 'ana' }],
        ['StepDispatched', { phaseIndex: 0, stepId: 'side', kind: 'sql', commandId: 'c1' }],
        ['RollbackStarted', { trigger: 'on-call', reason: 'latency', requestedBy: 'bob', receivedAt: new Date(0).toISOString(), compensation: [{ stepId: 'side', kind: 'sql', action: 'sql.revert', commandId: 'r1' }] }],
        ['SqlStepReverted', { stepId: 'side', target: 'app', durationMs: 2 }],
        ['SqlStepApplied', { stepId: 'side', target: 'app', durationMs: 1, rowsAffected: 0 }],
      ),
    );
    expect(state.phases[0].steps.find((step) => step.id === 'side')?.status).toBe('compensated');
    expect(state.rollback?.compensated).toEqual(['side']);
  });

  it('refuses a stream that is not a migration', () => {
    expect(() => foldMigration([])).toThrow(/does not exist/);
  });
});

describe('foldOnto', () => {
  const events = stream(
    ['MigrationStarted', { requestedBy: 'ana' }],
    ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }],
    ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }],
    ['StepDispatched', { phaseIndex: 0, stepId: 'side', kind: 'sql', commandId: 'c2' }],
    ['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'public_widen', durationMs: 5 }],
    ['SqlStepFailed', { stepId: 'side', target: 'app', phase: 'apply', code: 'sql_failed', message: 'boom', pgCode: '42P01' }],
  );

  it('gives, at every split of the stream, the state a fold of the whole stream gives', () => {
    const whole = foldMigration(events);
    for (let split = 1; split < events.length; split++) {
      expect(foldOnto(foldMigration(events.slice(0, split)), events.slice(split))).toEqual(whole);
    }
  });

  it('refuses events that do not continue the folded version', () => {
    const state = foldMigration(events.slice(0, 3));
    expect(() => foldOnto(state, events.slice(4))).toThrow(/version 5 does not follow the folded version 3/);
  });
});
