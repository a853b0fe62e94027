import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  MigrationCompleteRequested,
  MigrationPaused,
  MigrationPlanned,
  MigrationResumed,
  MigrationStarted,
  RequestRollback,
  StepApproved,
  type MigrationPlan,
  type MigrationSpec,
} from '@bascule/contracts';
import { isExpectedVersionConflictError, type NewEvent } from '@bascule/event-store';
import type { BusClient } from '@bascule/messaging';
import { withSpanUnder } from '@bascule/telemetry';
import { approvalReasonOf, deterministicId, findStep, specStepOf, type MigrationState, type MigrationStatus } from '@bascule/orchestration';
import { InvalidStatusError, NotAnApproverError, RehearsalRequiredError, SelfApprovalError, StepNotFoundError } from '../http/planner.errors';
import { MigrationCommandMetrics, type AcceptedCommand } from '../metrics/migration-command-metrics';
import { BUS_CLIENT } from '../planner.constants';
import { ProcessManager } from '../process-manager/process-manager.service';
import { MigrationStore } from './migration-store.service';

/** Statuses a rollback may be asked in; the rollback-manager has the last word (RollbackRejected). */
const ROLLBACK_ALLOWED: MigrationStatus[] = ['running', 'paused', 'expanded', 'failed', 'rolling_back', 'rollback_failed'];

/** The `action` of a stored transition as `bascule_migration_commands_total` labels it. */
const METRIC_ACTION: Record<string, AcceptedCommand> = { start: 'start', pause: 'pause', resume: 'resume', complete: 'complete', 'approve a step of': 'approve' };

export interface Accepted {
  id: string;
  status: MigrationStatus;
  accepted: string;
}

/**
 * What the REST routes ask of a migration: each checks the folded status, appends one event at the
 * folded version (a concurrent change makes it re-check), then nudges the process manager so
 * the migration moves without waiting for the bus.
 */
@Injectable()
export class MigrationCommands {
  private readonly logger = new Logger(MigrationCommands.name);

  constructor(
    private readonly store: MigrationStore,
    private readonly processManager: ProcessManager,
    @Inject(BUS_CLIENT) private readonly bus: BusClient,
    private readonly metrics: MigrationCommandMetrics,
  ) {}

  async create(spec: MigrationSpec, plan: MigrationPlan, requestedBy: string): Promise<string> {
    const id = randomUUID();
    const data = { migrationId: id, name: spec.name, target: spec.target, spec, plan, requestedBy };
    await this.store.append(id, [{ type: MigrationPlanned.name, data: MigrationPlanned.schema.parse(data), metadata: { actor: requestedBy } }], 'no_stream');
    return id;
  }

  start(id: string, actor: string): Promise<Accepted> {
    return this.transition(id, 'start', ['planned'], actor, (state) => {
      if (state.spec.rehearse && !state.rehearsal?.passed) throw new RehearsalRequiredError(id);
      return { eventId: deterministicId(id, MigrationStarted.name), type: MigrationStarted.name, data: { migrationId: id, requestedBy: actor } };
    });
  }

  pause(id: string, actor: string, reason?: string): Promise<Accepted> {
    return this.transition(id, 'pause', ['running'], actor, () => ({
      type: MigrationPaused.name,
      data: { migrationId: id, requestedBy: actor, ...(reason ? { reason } : {}) },
    }));
  }

  resume(id: string, actor: string): Promise<Accepted> {
    return this.transition(id, 'resume', ['paused'], actor, () => ({ type: MigrationResumed.name, data: { migrationId: id, requestedBy: actor } }));
  }

  complete(id: string, actor: string): Promise<Accepted> {
    return this.transition(id, 'complete', ['expanded'], actor, () => ({
      eventId: deterministicId(id, MigrationCompleteRequested.name),
      type: MigrationCompleteRequested.name,
      data: { migrationId: id, requestedBy: actor, reason: 'requested' },
    }));
  }

  approve(id: string, stepId: string, actor: string, comment?: string): Promise<Accepted> {
    return this.transition(id, 'approve a step of', ['running', 'paused'], actor, (state) => {
      const step = findStep(state, stepId);
      if (!step) throw new StepNotFoundError(id, stepId);
      if (step.status !== 'waiting_approval') {
        throw new InvalidStatusError(`approve step "${stepId}" (${step.kind}, ${step.status}) of`, state.status, ['the step is waiting_approval']);
      }
      const approvers = specStepOf(state, step).approval?.approvers;
      if (approvers && !approvers.includes(actor)) throw new NotAnApproverError(actor, approvers);
      // Four eyes on what cannot be undone or breaks clients: whoever started the migration cannot also wave it through.
      const reason = approvalReasonOf(state, step);
      if (reason !== null && actor === state.startedBy) throw new SelfApprovalError(stepId, actor, reason === 'irreversible' ? 'is irreversible' : 'breaks its API contract');
      return {
        eventId: deterministicId(id, StepApproved.name, stepId),
        type: StepApproved.name,
        data: { migrationId: id, stepId, approvedBy: actor, ...(comment ? { comment } : {}) },
      };
    });
  }

  /** Sends the on-call rollback command (the same one `nats pub bascule.cmd.rollback` sends); the rollback-manager acts on it. */
  rollback(id: string, actor: string, reason: string): Promise<Accepted> {
    return this.inMigrationTrace(id, 'rollback', actor, async () => {
      const state = await this.store.state(id);
      if (!ROLLBACK_ALLOWED.includes(state.status)) throw new InvalidStatusError('roll back', state.status, ROLLBACK_ALLOWED);
      await this.bus.sendCommand(RequestRollback, { migrationId: id, reason, requestedBy: actor }, { commandId: randomUUID(), metadata: { trigger: 'api', actor, correlationId: id } });
      this.metrics.commandAccepted('rollback');
      return { id, status: state.status, accepted: 'rollback' };
    });
  }

  /** A command on an existing migration is a span of the migration's trace, not a trace of its own. */
  private async inMigrationTrace<T>(id: string, action: string, actor: string, run: () => Promise<T>): Promise<T> {
    const traceparent = await this.store.traceparent(id);
    return withSpanUnder(traceparent, `migration ${action}`, { 'bascule.migration.id': id, 'bascule.command': action, 'enduser.id': actor }, run);
  }

  private transition(
    id: string,
    action: string,
    allowed: MigrationStatus[],
    actor: string,
    decide: (state: MigrationState) => NewEvent,
  ): Promise<Accepted> {
    return this.inMigrationTrace(id, action, actor, () => this.appendTransition(id, action, allowed, actor, decide));
  }

  private async appendTransition(
    id: string,
    action: string,
    allowed: MigrationStatus[],
    actor: string,
    decide: (state: MigrationState) => NewEvent,
  ): Promise<Accepted> {
    for (let attempt = 0; ; attempt++) {
      const state = await this.store.state(id);
      if (!allowed.includes(state.status)) throw new InvalidStatusError(action, state.status, allowed);
      const event = decide(state);
      try {
        await this.store.append(id, [{ ...event, metadata: { actor, correlationId: id } }], state.version);
      } catch (error) {
        // Another writer (the process manager, an agent) appended meanwhile: check the status again.
        if (isExpectedVersionConflictError(error) && attempt < 20) continue;
        throw error;
      }
      const accepted = METRIC_ACTION[action];
      if (accepted) this.metrics.commandAccepted(accepted);
      const after = await this.processManager.advance(id).catch((error: unknown) => {
        this.logger.warn(`advancing ${id} after ${action} failed (the bus will retry): ${(error as Error).message}`);
        return null;
      });
      return { id, status: after?.status ?? (await this.store.state(id)).status, accepted: action };
    }
  }
}
