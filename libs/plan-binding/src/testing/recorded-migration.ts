import { appendEvents, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import type { CompensationStep, MigrationStep, PlannedTable, StepKind } from '@bascule/contracts';
import type { z } from 'zod';
import {
  baselineCommand,
  compareCommand,
  compensationCommand,
  completeCommand,
  deterministicId,
  dispatchCommandId,
  findStep,
  foldMigration,
  restorationCheck,
  stepCommand,
} from '@bascule/orchestration';
import type { Pool } from 'pg';

/** Marks what this helper appended, so that `agentEvents` leaves it out whatever its type. */
const RECORDED_BY = { recordedBy: 'RecordedMigration' };

/** The event an agent records when a step of this kind succeeds (an approval step succeeds once approved). */
const SUCCEEDED: Record<StepKind, string> = { schema: 'SchemaStepExpanded', sql: 'SqlStepApplied', verify: 'VerifyStepPassed', approval: 'StepApproved', analysis: 'AnalysisStepPassed', api: 'ApiStepPromoted', backup: 'BackupTaken' };

export interface RecordedPlanOptions {
  /** Existing tables the plan found on the target: baselined before the phase and compared after it. */
  tables?: string[];
}

/**
 * A migration recorded in the event store as the planner, the rollback-manager and the agents would
 * record it, so that an agent's plan binding accepts the commands a test sends for it. Each method
 * appends the events that authorise a command and returns that command's payload.
 */
export class RecordedMigration {
  private constructor(
    private readonly pool: Pool,
    readonly migrationId: string,
  ) {}

  /** MigrationPlanned (one phase holding `steps`), MigrationStarted and PhaseStarted. */
  static async plan(pool: Pool, migrationId: string, target: string, steps: Array<z.input<typeof MigrationStep>>, options: RecordedPlanOptions = {}): Promise<RecordedMigration> {
    // Not parsed: a test may record ids the spec validation would refuse (hostile ids reach an agent
    // only through a forged message; this checks what the agent does with them once bound).
    const phase = { name: 'expand', steps };
    const spec = { name: migrationId, target, rehearse: false, rollback: { automatic: true, window: '72h' }, phases: [phase] };
    const tables = (options.tables ?? []).map((table): PlannedTable => ({ table, exists: true, rows: null, bytes: null, primaryKey: [], indexes: [], foreignKeys: [], dependentViews: [] }));
    const plan = { phases: [{ name: 'expand', steps: [] }], tables, risks: [], estimatedSeconds: null };
    const recorded = new RecordedMigration(pool, migrationId);
    await recorded.append([
      ['MigrationPlanned', { name: migrationId, target, spec, plan, requestedBy: 'test' }],
      ['MigrationStarted', { requestedBy: 'test' }],
      ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }],
    ]);
    return recorded;
  }

  /** The baseline the process manager sends once the phase started (`plan` recorded its PhaseStarted). */
  async baseline(): Promise<Record<string, unknown>> {
    return baselineCommand(await this.state(), 0).payload;
  }

  /** StepDispatched; returns the start, apply or verify command the process manager sends for it. */
  async dispatch(stepId: string): Promise<Record<string, unknown>> {
    const state = await this.state();
    const step = findStep(state, stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    const commandId = dispatchCommandId(this.migrationId, stepId);
    await this.append([['StepDispatched', { phaseIndex: step.phaseIndex, stepId, kind: step.kind, commandId }]]);
    const command = stepCommand(await this.state(), { ...step, commandId }, commandId);
    if (!command) throw new Error(`step ${stepId} has no command`);
    return command.payload;
  }

  /** Every step of the phase succeeded, as its agent reports it; returns the phase's check (verify.compare). */
  async finishSteps(): Promise<Record<string, unknown>> {
    const open = (await this.state()).phases[0]?.steps.filter((step) => step.status !== 'succeeded') ?? [];
    const approval = (kind: StepKind) => (kind === 'approval' ? { approvedBy: 'test' } : {});
    if (open.length > 0) await this.append(open.map((step) => [SUCCEEDED[step.kind], { stepId: step.id, ...approval(step.kind) }]));
    const state = await this.state();
    const [phase] = state.phases;
    if (!phase) throw new Error(`migration ${this.migrationId} has no phase`);
    return compareCommand(state, phase).payload;
  }

  /** MigrationCompleteRequested; returns the complete command of `stepId`. */
  async requestComplete(stepId: string): Promise<Record<string, unknown>> {
    await this.append([['MigrationCompleteRequested', { requestedBy: 'test', reason: 'requested' }]]);
    const state = await this.state();
    const step = findStep(state, stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    return completeCommand(state, step).payload;
  }

  /** RollbackStarted compensating `stepIds` in that order; returns their commands. */
  async startRollback(stepIds: string[]): Promise<Array<Record<string, unknown>>> {
    const state = await this.state();
    const compensation: CompensationStep[] = stepIds.map((stepId) => {
      const kind = findStep(state, stepId)?.kind;
      if (kind !== 'schema' && kind !== 'sql' && kind !== 'api') throw new Error(`step ${stepId} cannot be compensated`);
      const action = ({ schema: 'schema.rollback', sql: 'sql.revert', api: 'api.rollback' } as const)[kind];
      return { stepId, kind, action, commandId: deterministicId(this.migrationId, 'compensate', stepId) };
    });
    await this.append([['RollbackStarted', { trigger: 'on-call', reason: 'test', requestedBy: 'test', receivedAt: new Date().toISOString(), compensation }]]);
    return compensation.map((entry) => compensationCommand(state, entry).payload);
  }

  /** MigrationRolledBack (after `startRollback`); returns the restoration check the rollback-manager sends then. */
  async finishRollback(): Promise<Record<string, unknown>> {
    const compensated = (await this.state()).rollback?.compensation.map((entry) => entry.stepId) ?? [];
    await this.append([['MigrationRolledBack', { durationMs: 1, compensated }]]);
    const check = restorationCheck(await this.state());
    if (!check) throw new Error(`migration ${this.migrationId} took no pre-migration baseline: no restoration check`);
    return check;
  }

  /** The events the agents recorded: the stream without what this helper appended. */
  async agentEvents(): Promise<StoredEvent[]> {
    return (await readStream(this.pool, migrationStreamId(this.migrationId))).filter((event) => event.metadata['recordedBy'] !== RECORDED_BY.recordedBy);
  }

  private async state() {
    return foldMigration(await readStream(this.pool, migrationStreamId(this.migrationId)));
  }

  private async append(events: Array<[string, Record<string, unknown>]>): Promise<void> {
    await appendEvents(
      this.pool,
      migrationStreamId(this.migrationId),
      events.map(([type, data]) => ({ type, data: { migrationId: this.migrationId, ...data }, metadata: RECORDED_BY })),
    );
  }
}
