import { deterministicId } from '../ids/deterministic-id';
import type { DecidedCommand } from '../process/process-decision';
import { monitorBaselineCommandId } from '../process/monitor-baseline';
import { dispatchCommandId } from '../process/step-commands';
import { restorationCheck } from '../rollback/rollback-commands';
import { demoPlan, lookupBaseline, MigrationStream, monitoredSpec } from '../testing/migration-stream';
import { bindCommand } from './bind-command';
import { commandClaim, type BoundCommandName, type CommandBinding, type CommandClaim } from './command-claim';

/** The claim the message carrying `command` makes: what an agent receives of what was sent. */
const claimOf = (command: DecidedCommand): CommandClaim => commandClaim(command.definition as BoundCommandName, command.payload as { migrationId: string; commandId: string });
const refusal = (binding: CommandBinding) => (binding.bound ? 'bound' : binding.code);
const madeUp = deterministicId('made-up');

/** Without an existing table to gate, the process manager takes no baseline and makes no comparison. */
const ungated = { ...demoPlan, tables: [] };
const running = (plan = demoPlan) => new MigrationStream(undefined, plan).add('MigrationStarted', { requestedBy: 'ana' });
const started = (plan = demoPlan) => running(plan).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' });
const phaseDone = (plan = demoPlan) =>
  started(plan)
    .add('SchemaStepExpanded', { stepId: 'widen' })
    .add('SqlStepApplied', { stepId: 'seed' })
    .add('StepApproved', { stepId: 'ok', approvedBy: 'bo' });
const baselineTaken = { label: 'before-phase-0', tables: [], durationMs: 1 };
const rollingBack = (s: MigrationStream) => s.add('RollbackStarted', { trigger: 'on-call', reason: 'r', requestedBy: 'ana', receivedAt: new Date(0).toISOString(), compensation: [] });

const baseline = (label: string, commandId = deterministicId('m1', 'baseline', label)): CommandClaim => ({ name: 'verify.baseline', migrationId: 'm1', label, commandId });
const compare = (label: string, commandId = deterministicId('m1', 'compare', label)): CommandClaim => ({ name: 'verify.compare', migrationId: 'm1', label, commandId });

describe('bindCommand', () => {
  it('binds every command the process manager sends, as it sent it, from the phase baseline to the last check', () => {
    const s = running();
    const sent = new Set<string>();
    const step = () => {
      for (const command of s.step().commands) {
        expect(bindCommand(s.state, claimOf(command))).toEqual({ bound: true, command });
        sent.add(command.definition);
      }
    };
    step(); // PhaseStarted, verify.baseline
    s.add('BaselineTaken', baselineTaken);
    step(); // schema.start
    s.add('SchemaStepExpanded', { stepId: 'widen' });
    step(); // sql.apply
    s.add('SqlStepApplied', { stepId: 'seed' }).add('StepApproved', { stepId: 'ok', approvedBy: 'bo' });
    step(); // verify.compare after-phase-0
    s.add('DataCompared', { label: 'after-phase-0', against: 'before-phase-0', mode: 'no-loss', passed: true, tables: [], equivalence: [], durationMs: 1 });
    step(); // PhaseCompleted
    step(); // PhaseStarted, verify.baseline before-phase-1
    s.add('BaselineTaken', { ...baselineTaken, label: 'before-phase-1' });
    step(); // verify.step
    s.add('VerifyStepPassed', { stepId: 'integrity' });
    step(); // verify.compare after-phase-1
    expect([...sent].sort()).toEqual(['schema.start', 'sql.apply', 'verify.baseline', 'verify.compare', 'verify.step']);
  });

  it('binds every command the process manager sends for a monitored migration: the monitor baseline and the analysis step', () => {
    const s = new MigrationStream(monitoredSpec, ungated).add('MigrationStarted', { requestedBy: 'ana' });
    const sent: string[] = [];
    const step = () => {
      for (const command of s.step().commands) {
        expect(bindCommand(s.state, claimOf(command))).toEqual({ bound: true, command });
        sent.push(command.definition);
      }
    };
    step(); // monitor.baseline
    s.add('MonitorBaselineRecorded', lookupBaseline);
    step(); // PhaseStarted
    step(); // sql.apply
    s.add('SqlStepApplied', { stepId: 'seed' });
    step(); // PhaseCompleted
    step(); // PhaseStarted
    step(); // monitor.analyze
    expect(sent).toEqual(['monitor.baseline', 'sql.apply', 'monitor.analyze']);
  });

  it('refuses a monitor baseline before the start, without a monitor section, or with another id', () => {
    const claim: CommandClaim = { name: 'monitor.baseline', migrationId: 'm1', commandId: monitorBaselineCommandId('m1') };
    const monitored = () => new MigrationStream(monitoredSpec, ungated);
    expect(refusal(bindCommand(monitored().state, claim))).toBe('not_started');
    expect(refusal(bindCommand(monitored().add('MigrationStarted', { requestedBy: 'ana' }).state, claim))).toBe('bound');
    // Later on (a redelivery after phase 0 began) it is still the command the migration sent.
    expect(refusal(bindCommand(monitored().add('MigrationStarted', { requestedBy: 'ana' }).add('MonitorBaselineRecorded', lookupBaseline).add('PhaseStarted', { phaseIndex: 0, phase: 'expand' }).state, claim))).toBe('bound');
    expect(refusal(bindCommand(monitored().add('MigrationStarted', { requestedBy: 'ana' }).state, { ...claim, commandId: madeUp }))).toBe('not_dispatched');
    expect(refusal(bindCommand(running().state, claim))).toBe('not_dispatched');
    expect(refusal(bindCommand(null, claim))).toBe('unknown_migration');
    // Whatever else the message carried, the claim is only its migration and command id.
    expect(commandClaim('monitor.baseline', { migrationId: 'm1', commandId: claim.commandId, stepId: 'seed', label: 'before-phase-0' })).toEqual(claim);
  });

  it('refuses an analysis step nobody dispatched with that id, or under another name', () => {
    const analyze: CommandClaim = { name: 'monitor.analyze', migrationId: 'm1', stepId: 'soak', commandId: dispatchCommandId('m1', 'soak') };
    const monitored = new MigrationStream(monitoredSpec, ungated).add('MigrationStarted', { requestedBy: 'ana' }).add('MonitorBaselineRecorded', lookupBaseline);
    expect(refusal(bindCommand(monitored.state, analyze))).toBe('not_dispatched');
    monitored.add('StepDispatched', { phaseIndex: 1, stepId: 'soak', kind: 'analysis', commandId: dispatchCommandId('m1', 'soak') });
    expect(bindCommand(monitored.state, analyze)).toEqual({
      bound: true,
      command: { definition: 'monitor.analyze', commandId: analyze.commandId, payload: { migrationId: 'm1', stepId: 'soak', target: 'app', commandId: analyze.commandId } },
    });
    expect(refusal(bindCommand(monitored.state, { ...analyze, commandId: madeUp }))).toBe('not_dispatched');
    expect(refusal(bindCommand(monitored.state, { ...analyze, name: 'verify.step' }))).toBe('not_dispatched');
    expect(refusal(bindCommand(monitored.state, { ...analyze, stepId: 'seed' }))).toBe('not_dispatched');
  });

  it('refuses a verify step nobody dispatched with that id, or under another name', () => {
    const s = phaseDone().add('StepDispatched', { phaseIndex: 1, stepId: 'integrity', kind: 'verify', commandId: dispatchCommandId('m1', 'integrity') });
    const claim: CommandClaim = { name: 'verify.step', migrationId: 'm1', stepId: 'integrity', commandId: dispatchCommandId('m1', 'integrity') };
    expect(refusal(bindCommand(s.state, claim))).toBe('bound');
    expect(refusal(bindCommand(s.state, { ...claim, commandId: madeUp }))).toBe('not_dispatched');
    expect(refusal(bindCommand(s.state, { ...claim, name: 'sql.apply' }))).toBe('not_dispatched');
    expect(refusal(bindCommand(phaseDone().state, claim))).toBe('not_dispatched');
    expect(refusal(bindCommand(s.state, { ...claim, stepId: 'pwn' }))).toBe('unknown_step');
    expect(refusal(bindCommand(null, claim))).toBe('unknown_migration');
  });

  it('refuses a baseline of a phase not started, under a label the plan has not, or with another id', () => {
    expect(refusal(bindCommand(started().state, baseline('before-phase-0')))).toBe('bound');
    expect(refusal(bindCommand(running().state, baseline('before-phase-0')))).toBe('phase_not_started');
    expect(refusal(bindCommand(started().state, baseline('before-phase-1')))).toBe('phase_not_started');
    expect(refusal(bindCommand(started().state, baseline('before-phase-0', madeUp)))).toBe('not_dispatched');
    expect(refusal(bindCommand(started().state, baseline('before-phase-2')))).toBe('unknown_label');
    expect(refusal(bindCommand(started().state, baseline('whenever')))).toBe('unknown_label');
    // A message that names a step instead of a label names no baseline.
    expect(refusal(bindCommand(started().state, commandClaim('verify.baseline', { migrationId: 'm1', stepId: 'widen', commandId: baseline('before-phase-0').commandId })))).toBe('unknown_label');
    expect(refusal(bindCommand(started(ungated).state, baseline('before-phase-0')))).toBe('not_dispatched');
  });

  it('refuses a phase check before every step of the phase succeeded, under a label the plan has not, or with another id', () => {
    const unfinished = started().add('SchemaStepExpanded', { stepId: 'widen' });
    expect(refusal(bindCommand(unfinished.state, compare('after-phase-0')))).toBe('phase_unfinished');
    expect(refusal(bindCommand(phaseDone().state, compare('after-phase-0')))).toBe('bound');
    expect(refusal(bindCommand(phaseDone().state, compare('after-phase-0', madeUp)))).toBe('not_dispatched');
    expect(refusal(bindCommand(phaseDone().state, compare('after-phase-1')))).toBe('phase_not_started');
    expect(refusal(bindCommand(phaseDone().state, compare('before-phase-0')))).toBe('unknown_label');
    expect(refusal(bindCommand(phaseDone().state, compare('after-writes')))).toBe('unknown_label');
    expect(refusal(bindCommand(phaseDone(ungated).state, compare('after-phase-0')))).toBe('not_dispatched');
  });

  it('binds the restoration check once the rollback finished, against the pre-migration baseline it took', () => {
    const finished = rollingBack(phaseDone().add('BaselineTaken', baselineTaken)).add('MigrationRolledBack', { durationMs: 5, compensated: [] });
    const check = restorationCheck(finished.state);
    if (!check) throw new Error('a pre-migration baseline was taken: the rollback-manager sends a restoration check');
    const restoration = (commandId = check.commandId) => compare('restoration', commandId);
    expect(bindCommand(finished.state, restoration())).toEqual({ bound: true, command: { definition: 'verify.compare', commandId: check.commandId, payload: check } });

    expect(refusal(bindCommand(finished.state, restoration(madeUp)))).toBe('not_dispatched');
    expect(refusal(bindCommand(rollingBack(phaseDone().add('BaselineTaken', baselineTaken)).state, restoration()))).toBe('not_rolled_back');
    expect(refusal(bindCommand(phaseDone().add('BaselineTaken', baselineTaken).state, restoration()))).toBe('not_rolled_back');
    expect(refusal(bindCommand(rollingBack(phaseDone()).add('MigrationRolledBack', { durationMs: 5, compensated: [] }).state, restoration()))).toBe('not_dispatched');
  });
});
