import type { MigrationSpec } from '@bascule/contracts';
import { demoPlan as plan, demoSpec as spec, demoTable as table, MigrationStream as Stream } from '../testing/migration-stream';
import { decideNext } from './decide-next';
import type { ProcessDecision } from './process-decision';

const names = (decision: ProcessDecision) => ({ events: decision.events.map((e) => e.type), commands: decision.commands.map((c) => c.definition) });

describe('decideNext', () => {
  it('does nothing for a planned migration', () => {
    expect(names(new Stream().decide())).toEqual({ events: [], commands: [] });
  });

  it('runs phase by phase: baseline, ready steps, approval wait, gate, expanded, complete', () => {
    const s = new Stream().add('MigrationStarted', { requestedBy: 'ana' });
    const phaseStart = s.step();
    expect(names(phaseStart)).toEqual({ events: ['PhaseStarted'], commands: ['verify.baseline'] });
    expect(phaseStart.commands[0]?.payload).toMatchObject({ label: 'before-phase-0', tables: ['public.t'] });
    expect(names(s.step())).toEqual({ events: [], commands: ['verify.baseline'] }); // still waiting: re-sent with the same id
    s.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });

    const dispatch = s.step();
    expect(dispatch.events.map((e) => e.data['stepId'])).toEqual(['widen', 'ok']);
    expect(names(dispatch).commands).toEqual(['schema.start']); // approval sends nothing
    expect(dispatch.commands[0]?.payload).toMatchObject({ stepId: 'widen', schema: 'public', migration: { operations: [{ alter_column: { table: 't' } }] } });
    expect(s.state.phases[0]?.steps.find((step) => step.id === 'ok')?.status).toBe('waiting_approval');
    expect(names(s.decide())).toEqual({ events: [], commands: [] });

    s.add('SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'public_widen', durationMs: 5 });
    const seed = s.step();
    expect(names(seed)).toEqual({ events: ['StepDispatched'], commands: ['sql.apply'] });
    expect(seed.commands[0]?.payload).toMatchObject({ stepId: 'seed', up: 'select 1', verify: 'select 3' });
    s.add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
    expect(names(s.decide())).toEqual({ events: [], commands: [] }); // approval pending
    s.add('StepApproved', { stepId: 'ok', approvedBy: 'bo' });

    const gate = s.step();
    expect(names(gate)).toEqual({ events: [], commands: ['verify.compare'] });
    expect(gate.commands[0]?.payload).toMatchObject({
      label: 'after-phase-0',
      against: 'before-phase-0',
      mode: 'no-loss',
      equivalence: [{ table: 't', column: 'c', up: 'c', stepId: 'widen' }],
    });
    s.add('DataCompared', { label: 'after-phase-0', against: 'before-phase-0', mode: 'no-loss', passed: true, tables: [], equivalence: [], durationMs: 1 });
    expect(names(s.step())).toEqual({ events: ['PhaseCompleted'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: ['verify.baseline'] });
    s.add('BaselineTaken', { label: 'before-phase-1', tables: [], durationMs: 1 });
    const verify = s.step();
    expect(verify.commands[0]).toMatchObject({ definition: 'verify.step', payload: { tables: ['t'], against: 'before-phase-0' } });
    s.add('VerifyStepPassed', { stepId: 'integrity', tables: [], invariants: [], durationMs: 1 });
    s.step();
    s.add('DataCompared', { label: 'after-phase-1', against: 'before-phase-1', mode: 'no-loss', passed: true, tables: [], equivalence: [], durationMs: 1 });
    s.step();

    const expanded = s.step(new Date(200_000));
    expect(names(expanded)).toEqual({ events: ['MigrationExpanded'], commands: [] });
    expect(expanded.events[0]?.data['completeAfter']).toBe(new Date(200_000 + 3_600_000).toISOString());
    expect(s.state.status).toBe('expanded');
    expect(names(s.decide(new Date(200_000 + 3_599_999)))).toEqual({ events: [], commands: [] });

    const window = s.step(new Date(200_000 + 3_600_000));
    expect(window.events[0]).toMatchObject({ type: 'MigrationCompleteRequested', data: { reason: 'window_elapsed', requestedBy: 'bascule' } });
    const contract = s.step();
    expect(names(contract)).toEqual({ events: [], commands: ['schema.complete'] });
    expect(contract.commands[0]?.payload).toMatchObject({ stepId: 'widen', schema: 'public' });
    s.add('SchemaStepCompleted', { stepId: 'widen', target: 'app', schema: 'public', durationMs: 2 });
    expect(names(s.step())).toEqual({ events: ['MigrationCompleted'], commands: [] });
    expect(s.state.status).toBe('completed');
    expect(names(s.decide())).toEqual({ events: [], commands: [] });
  });

  it('gives the same ids when it decides twice, so a repeat appends and sends nothing new', () => {
    const s = new Stream().add('MigrationStarted', { requestedBy: 'ana' }).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' });
    s.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    const first = s.decide();
    const second = s.decide(new Date(999_999));
    expect(second.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(second.commands.map((c) => c.commandId)).toEqual(first.commands.map((c) => c.commandId));
    expect(first.events[0]?.data['commandId']).toBe(first.commands[0]?.commandId);
  });

  it('dispatches nothing while paused and continues after resume', () => {
    const s = new Stream().add('MigrationStarted', { requestedBy: 'ana' }).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' });
    s.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 }).add('MigrationPaused', { requestedBy: 'ana' });
    expect(names(s.decide())).toEqual({ events: [], commands: [] });
    s.add('MigrationResumed', { requestedBy: 'ana' });
    expect(names(s.decide()).events).toEqual(['StepDispatched', 'StepDispatched']);
  });

  it('stops after a failure and after a failed phase gate', () => {
    const failed = new Stream().add('MigrationStarted', { requestedBy: 'ana' }).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' });
    failed.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    failed.step();
    failed.add('SchemaStepFailed', { stepId: 'widen', target: 'app', schema: 'public', phase: 'start', code: 'x', message: 'boom', pgCode: null, operationIndex: 0 });
    expect(failed.state.status).toBe('failed');
    expect(names(failed.decide())).toEqual({ events: [], commands: [] });

    const oneStep: MigrationSpec = { ...spec, phases: [{ name: 'only', steps: [{ id: 'seed', sql: { up: 'select 1', down: 'select 2' } }] }] };
    const gate = new Stream(oneStep).add('MigrationStarted', { requestedBy: 'ana' }).add('PhaseStarted', { phaseIndex: 0, phase: 'only' });
    gate.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    gate.step();
    gate.add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
    gate.add('DataCompared', { label: 'after-phase-0', against: 'before-phase-0', mode: 'no-loss', passed: false, tables: [], equivalence: [], durationMs: 1 });
    expect(gate.state.status).toBe('failed');
    expect(names(gate.decide())).toEqual({ events: [], commands: [] });
  });

  it('skips baselines and gates when the migration touches no existing table, and a 0s window completes at once', () => {
    const oneStep: MigrationSpec = { ...spec, rollback: { automatic: false, window: '0s' }, phases: [{ name: 'only', steps: [{ id: 'seed', sql: { up: 'select 1', down: 'select 2' } }] }] };
    const s = new Stream(oneStep, { ...plan, tables: [{ ...table, exists: false }] }).add('MigrationStarted', { requestedBy: 'ana' });
    expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['StepDispatched'], commands: ['sql.apply'] });
    s.add('SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 });
    expect(names(s.step())).toEqual({ events: ['PhaseCompleted'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['MigrationExpanded'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['MigrationCompleteRequested'], commands: [] });
    expect(names(s.step())).toEqual({ events: ['MigrationCompleted'], commands: [] }); // no schema step to contract
  });

  it('re-sends the commands of running steps only when asked (a restart)', () => {
    const s = new Stream().add('MigrationStarted', { requestedBy: 'ana' }).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' });
    s.add('BaselineTaken', { label: 'before-phase-0', tables: [], durationMs: 1 });
    s.step();
    expect(s.decide().commands).toEqual([]);
    const resent = decideNext(s.state, new Date(), { resendInFlight: true });
    expect(resent.commands.map((c) => c.payload['stepId'])).toEqual(['widen']);
  });

  it('holds an irreversible sql step until someone approves it, then dispatches it', () => {
    const oneWay: MigrationSpec = { ...spec, phases: [{ name: 'only', steps: [{ id: 'purge', sql: { up: 'DROP TABLE old_orders', irreversible: true } }] }] };
    const s = new Stream(oneWay, { ...plan, tables: [{ ...table, exists: false }] }).add('MigrationStarted', { requestedBy: 'ana' });
    expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: [] });
    const held = s.step();
    expect(names(held)).toEqual({ events: ['StepApprovalRequested'], commands: [] });
    expect(held.events[0]?.data).toMatchObject({ stepId: 'purge', reason: 'irreversible', startedBy: 'ana' });
    expect(s.state.phases[0]?.steps[0]?.status).toBe('waiting_approval');
    expect(names(s.step())).toEqual({ events: [], commands: [] });
    s.add('StepApproved', { stepId: 'purge', approvedBy: 'bo' });
    expect(names(s.step())).toEqual({ events: ['StepDispatched'], commands: ['sql.apply'] });
    s.add('SqlStepApplied', { stepId: 'purge', target: 'app', durationMs: 1, rowsAffected: 0 });
    expect(names(s.step())).toEqual({ events: ['PhaseCompleted'], commands: [] });
  });
});
