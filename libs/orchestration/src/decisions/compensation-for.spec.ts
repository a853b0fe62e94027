import { ApiStepBody, type MigrationSpec } from '@bascule/contracts';
import { bindCommand } from '../binding/bind-command';
import { stepCommand } from '../process/step-commands';
import { compensationCommand } from '../rollback/rollback-commands';
import { foldMigration, type FoldableEvent } from '../state/fold-migration';
import { decideRollback } from '../rollback/decide-rollback';
import { compensationFor } from './compensation-for';

const api = ApiStepBody.parse({
  service: 'shop',
  router: { kind: 'embedded', listen: '127.0.0.1:8080' },
  from: { version: 'v1', upstream: 'http://127.0.0.1:8081', openapi: { openapi: '3.0.3', info: { title: 'shop', version: '1' }, paths: {} } },
  to: { version: 'v2', upstream: 'http://127.0.0.1:8082', openapi: { openapi: '3.0.3', info: { title: 'shop', version: '2' }, paths: {} } },
});

/** A column added in phase 0, the API moved to v2 in phase 1 (after the schema), then a seed in phase 2. */
const spec: MigrationSpec = {
  name: 'shop-v2',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [
    { name: 'expand', steps: [{ id: 'widen', schema: { schema: 'public', operations: [{ add_column: { table: 't', column: { name: 'c', type: 'int', nullable: true } } }] } }] },
    { name: 'api', steps: [{ id: 'shop-v2', api }] },
    { name: 'seed', steps: [{ id: 'seed', sql: { up: 'select 1', down: 'select 2' } }] },
  ],
};

function stream(...rest: Array<[string, Record<string, unknown>]>): FoldableEvent[] {
  const all: Array<[string, unknown]> = [['MigrationPlanned', { name: 'shop-v2', target: 'app', spec, plan: { phases: [], tables: [], risks: [], estimatedSeconds: null }, requestedBy: 'ana' }], ...rest];
  return all.map(([type, data], index) => ({ type, data: { migrationId: 'm1', ...(data as object) }, streamVersion: index + 1, recordedAt: new Date(1_000 * index) }));
}

const promoted = stream(
  ['MigrationStarted', { requestedBy: 'ana' }],
  ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }],
  ['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'public_widen', durationMs: 5 }],
  ['StepDispatched', { phaseIndex: 1, stepId: 'shop-v2', kind: 'api', commandId: '9d7a2c55-2f4e-4a5e-9a51-0f6f1f0f8f01' }],
  ['ApiTrafficShifted', { stepId: 'shop-v2', service: 'shop', canaryStep: 0, shares: { v1: 95, v2: 5 } }],
  ['ApiStepPromoted', { stepId: 'shop-v2', service: 'shop', shares: { v1: 0, v2: 100 }, durationMs: 120 }],
  ['StepDispatched', { phaseIndex: 2, stepId: 'seed', kind: 'sql', commandId: 'c3' }],
  ['SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 }],
);

describe('an api step in a migration', () => {
  it('is dispatched as api.start naming only the step, and succeeds when promoted', () => {
    const state = foldMigration(promoted);
    const step = state.phases[1].steps[0];
    expect(step).toMatchObject({ kind: 'api', status: 'succeeded' });
    expect(stepCommand(state, step)).toMatchObject({ definition: 'api.start', payload: { migrationId: 'm1', stepId: 'shop-v2', target: 'app' } });
    expect(Object.keys(stepCommand(state, step)!.payload).sort()).toEqual(['commandId', 'migrationId', 'stepId', 'target']);
  });

  it('is compensated first, before the schema and sql steps that ran before and after it', () => {
    const state = foldMigration(promoted);
    const order = compensationFor(state);
    expect(order.map((step) => [step.stepId, step.action])).toEqual([
      ['shop-v2', 'api.rollback'],
      ['seed', 'sql.revert'],
      ['widen', 'schema.rollback'],
    ]);
    expect(compensationCommand(state, order[0])).toEqual({ name: 'api.rollback', payload: { migrationId: 'm1', stepId: 'shop-v2', target: 'app', commandId: order[0].commandId } });
  });

  it('binds api.rollback only as the compensation its rollback recorded', () => {
    const state = foldMigration([...promoted, ...stream(['RollbackStarted', { trigger: 'api', reason: 'r', requestedBy: 'ana', compensation: compensationFor(foldMigration(promoted)) }]).slice(1).map((event, index) => ({ ...event, streamVersion: promoted.length + index + 1 }))]);
    const commandId = state.rollback!.compensation[0].commandId;
    expect(bindCommand(state, { name: 'api.rollback', migrationId: 'm1', stepId: 'shop-v2', commandId })).toMatchObject({ bound: true, command: { definition: 'api.rollback' } });
    expect(bindCommand(state, { name: 'api.rollback', migrationId: 'm1', stepId: 'shop-v2', commandId: '0b5e2f57-8f1e-4d0b-9a5e-1d2c3b4a5f60' })).toMatchObject({ bound: false });
  });

  it('fails the migration when its canary fails, and counts as compensated once traffic is back', () => {
    const failed = foldMigration(
      stream(
        ['MigrationStarted', { requestedBy: 'ana' }],
        ['StepDispatched', { phaseIndex: 1, stepId: 'shop-v2', kind: 'api', commandId: '9d7a2c55-2f4e-4a5e-9a51-0f6f1f0f8f01' }],
        ['ApiStepFailed', { stepId: 'shop-v2', service: 'shop', phase: 'canary', code: 'canary_failed', message: 'latency of v2: 3x', shares: { v1: 95, v2: 5 } }],
      ),
    );
    expect(failed.status).toBe('failed');
    expect(failed.failure).toMatchObject({ stepId: 'shop-v2', code: 'canary_failed' });
    // A canary that failed may have traffic on v2: it is compensated too.
    expect(compensationFor(failed).map((step) => step.stepId)).toEqual(['shop-v2']);
  });
});

describe('a rollback asked for after complete', () => {
  it('is refused, naming the API, its old version, its step and the contracted schema step', () => {
    const completed = foldMigration([
      ...promoted,
      ...stream(['MigrationCompleteRequested', { requestedBy: 'ana' }], ['MigrationCompleted', { durationMs: 10 }])
        .slice(1)
        .map((event, index) => ({ ...event, streamVersion: promoted.length + index + 1 })),
    ]);
    expect(decideRollback(completed)).toEqual({
      kind: 'reject',
      code: 'completed',
      message:
        'the contract phase has begun: the old version is gone, so there is nothing to roll back to: the API "shop" back to v1 (step "shop-v2") cannot be rolled back across the contract of schema step "widen", whose old shape it reads; write a new migration instead',
    });
  });
});
