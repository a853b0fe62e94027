import { appendEvents, migrationStreamId, readStream, type StoredEvent } from '@bascule/event-store';
import type { CompensationStep, MigrationStep } from '@bascule/contracts';
import type { z } from 'zod';
import { completeCommand, deterministicId, dispatchCommandId, foldMigration, stepCommand, compensationCommand, findStep } from '@bascule/orchestration';
import type { Pool } from 'pg';

/** What the process manager and the rollback-manager record before they send a command. */
const ORCHESTRATION_TYPES = new Set(['MigrationPlanned', 'MigrationStarted', 'PhaseStarted', 'StepDispatched', 'MigrationCompleteRequested', 'RollbackStarted']);

/**
 * A migration recorded in the event store as the planner and the rollback-manager would record it,
 * so that the schema-agent's plan binding accepts the commands a test sends for it. Each method
 * appends the event that authorises a command and returns that command's payload.
 */
export class RecordedMigration {
  private constructor(
    private readonly pool: Pool,
    readonly migrationId: string,
  ) {}

  /** MigrationPlanned (one phase holding `steps`), MigrationStarted and PhaseStarted. */
  static async plan(pool: Pool, migrationId: string, target: string, steps: Array<z.input<typeof MigrationStep>>): Promise<RecordedMigration> {
    // Not parsed: a test may record ids the spec validation would refuse (hostile ids reach an agent
    // only through a forged message; this checks what the agent does with them once bound).
    const phase = { name: 'expand', steps };
    const spec = { name: migrationId, target, rehearse: false, rollback: { automatic: true, window: '72h' }, phases: [phase] };
    const plan = { phases: [{ name: 'expand', steps: [] }], tables: [], risks: [], estimatedSeconds: null };
    const recorded = new RecordedMigration(pool, migrationId);
    await recorded.append([
      ['MigrationPlanned', { name: migrationId, target, spec, plan, requestedBy: 'test' }],
      ['MigrationStarted', { requestedBy: 'test' }],
      ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }],
    ]);
    return recorded;
  }

  /** StepDispatched; returns the start or apply command the process manager sends for it. */
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
      if (kind !== 'schema' && kind !== 'sql') throw new Error(`step ${stepId} cannot be compensated`);
      return { stepId, kind, action: kind === 'schema' ? 'schema.rollback' : 'sql.revert', commandId: deterministicId(this.migrationId, 'compensate', stepId) };
    });
    await this.append([['RollbackStarted', { trigger: 'on-call', reason: 'test', requestedBy: 'test', receivedAt: new Date().toISOString(), compensation }]]);
    return compensation.map((entry) => compensationCommand(state, entry).payload);
  }

  /** The events the agent recorded: the stream without what this helper appended. */
  async agentEvents(): Promise<StoredEvent[]> {
    return (await readStream(this.pool, migrationStreamId(this.migrationId))).filter((event) => !ORCHESTRATION_TYPES.has(event.type));
  }

  private async state() {
    return foldMigration(await readStream(this.pool, migrationStreamId(this.migrationId)));
  }

  private async append(events: Array<[string, Record<string, unknown>]>): Promise<void> {
    await appendEvents(
      this.pool,
      migrationStreamId(this.migrationId),
      events.map(([type, data]) => ({ type, data: { migrationId: this.migrationId, ...data } })),
    );
  }
}
