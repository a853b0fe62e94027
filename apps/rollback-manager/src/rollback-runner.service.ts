import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CompareWithBaselines,
  MigrationRolledBack,
  RequestRollback,
  RevertSqlStep,
  RollbackApiStep,
  ROLLBACK_REJECTIONS_STREAM,
  RollbackFailed,
  RollbackRejected,
  RollbackSchemaStep,
  RollbackStarted,
  type MessageData,
  type RollbackTrigger,
} from '@bascule/contracts';
import { appendEvents, isExpectedVersionConflictError, listStreams, migrationStreamId, readStream, wakeRelay } from '@bascule/event-store';
import { BusClient, busTopology } from '@bascule/messaging';
import {
  automaticRollbackReason,
  compensationCommand,
  decideRollback,
  foldMigration,
  nextRollbackAction,
  restorationCheck,
  rollbackEventIds,
  UnknownMigrationStreamError,
  type MigrationState,
} from '@bascule/orchestration';
import { NATS_CONNECTION, PG_POOL } from '@bascule/service-kit';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { KeyedSerializer } from './keyed-serializer';
import { RollbackMetrics } from './rollback-metrics';

export interface RollbackRequestContext {
  trigger: RollbackTrigger;
  /** Id of the command message: a redelivery gets the same rejection event id, a new command its own. */
  messageId: string;
  receivedAt: Date;
  metadata: Record<string, unknown>;
}

type Request = MessageData<typeof RequestRollback>;

/** Re-fold and decide again this often when another writer moved the stream between read and append. */
const MAX_DECISION_ROUNDS = 10;
const STREAM_PREFIX = 'migration-';

/**
 * The rollback-manager's edge: reads a migration's stream, lets the pure decisions of
 * `@bascule/orchestration` say what to do, and does it (appends with the expected version, sends
 * commands with deterministic ids). Every entry point is safe to call again: that is how a
 * duplicate command, a redelivered event and a restart are all harmless.
 */
@Injectable()
export class RollbackRunner {
  private readonly logger = new Logger(RollbackRunner.name);
  private readonly bus: BusClient;
  private readonly serial = new KeyedSerializer();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly metrics: RollbackMetrics,
  ) {
    this.bus = BusClient.using(nc, busTopology());
  }

  /** The on-call command (or the planner's REST route, which sends the same command). */
  request(command: Request, context: RollbackRequestContext): Promise<void> {
    return this.serial.run(command.migrationId, () => this.start(command.migrationId, { ...command, ...context }));
  }

  /** After an event of the migration: start an automatic rollback if one is due, else move a running one on. */
  reconcile(migrationId: string, receivedAt: Date): Promise<void> {
    return this.serial.run(migrationId, async () => {
      const state = await this.load(migrationId);
      if (!state) return;
      const reason = automaticRollbackReason(state);
      if (reason) {
        // Keyed by the failure, so a rejection (irreversible) is recorded once however many events wake us.
        const messageId = `automatic:${state.failure?.at.toISOString() ?? state.version}`;
        const context = { trigger: 'automatic' as const, messageId, receivedAt, metadata: { actor: 'bascule' } };
        return this.start(migrationId, { migrationId, reason, requestedBy: 'bascule', ...context });
      }
      if (state.status === 'rolling_back') await this.advance(migrationId);
    });
  }

  /** On boot: every migration left mid-rollback continues (same command ids), every due automatic rollback starts. */
  async resumeUnfinished(): Promise<number> {
    const streams = await listStreams(this.pool, { prefix: STREAM_PREFIX, firstEventType: 'MigrationPlanned' });
    let resumed = 0;
    for (const stream of streams) {
      const migrationId = stream.streamId.slice(STREAM_PREFIX.length);
      const state = await this.load(migrationId);
      if (!state) continue;
      // rolling_back includes a rollback whose compensations all ran and whose restoration check is outstanding.
      if (state.status === 'rolling_back' || automaticRollbackReason(state)) {
        resumed++;
        await this.reconcile(migrationId, new Date());
      }
    }
    if (resumed > 0) this.logger.log(`resumed ${resumed} rollback(s) after a restart`);
    return resumed;
  }

  private async start(migrationId: string, request: Request & RollbackRequestContext): Promise<void> {
    for (let round = 0; round < MAX_DECISION_ROUNDS; round++) {
      const state = await this.load(migrationId);
      const decision = decideRollback(state);
      const metadata = { ...request.metadata, actor: request.requestedBy, causationId: request.messageId, correlationId: migrationId };
      // A duplicate records nothing; it only re-sends the outstanding compensation (same id: dropped if already queued).
      if (decision.kind === 'already_rolling_back') return this.advance(migrationId);
      if (decision.kind === 'reject') {
        this.logger.warn(`rollback of ${migrationId} rejected (${decision.code}): ${decision.message}`);
        await appendEvents(
          this.pool,
          state ? migrationStreamId(migrationId) : ROLLBACK_REJECTIONS_STREAM,
          [
            {
              eventId: rollbackEventIds.rejected(migrationId, request.messageId),
              type: RollbackRejected.name,
              data: { migrationId, reason: request.reason, requestedBy: request.requestedBy, code: decision.code, message: decision.message },
              metadata,
            },
          ],
          { expectedVersion: 'any' },
        );
        wakeRelay(this.nc, this.bus.topology);
        return;
      }
      const started: MessageData<typeof RollbackStarted> = {
        migrationId,
        trigger: request.trigger,
        reason: request.reason,
        requestedBy: request.requestedBy,
        receivedAt: request.receivedAt.toISOString(),
        compensation: decision.compensation,
      };
      const live = state as MigrationState;
      if (!(await this.append(live, rollbackEventIds.started(live), RollbackStarted.name, started, metadata))) continue;
      this.logger.log(`rollback of ${migrationId} started (${request.trigger}, by ${request.requestedBy}): ${decision.compensation.length} compensation(s)`);
      await this.advance(migrationId);
      return;
    }
    throw new Error(`rollback of ${migrationId}: the stream kept moving for ${MAX_DECISION_ROUNDS} rounds; the command will be retried`);
  }

  private async advance(migrationId: string): Promise<void> {
    for (let round = 0; round < MAX_DECISION_ROUNDS; round++) {
      const state = await this.load(migrationId);
      if (!state) return;
      const action = nextRollbackAction(state);
      const metadata = { correlationId: migrationId, actor: 'bascule' };
      switch (action.kind) {
        case 'none':
          return;
        case 'send': {
          const command = compensationCommand(state, action.compensation);
          const options = { commandId: command.payload.commandId, metadata };
          if (command.name === 'schema.rollback') await this.bus.sendCommand(RollbackSchemaStep, command.payload, options);
          else if (command.name === 'sql.revert') await this.bus.sendCommand(RevertSqlStep, command.payload, options);
          else await this.bus.sendCommand(RollbackApiStep, command.payload, options);
          return;
        }
        case 'fail': {
          const data = { migrationId, stepId: action.stepId, code: action.code, message: action.message };
          if (!(await this.append(state, rollbackEventIds.failed(state), RollbackFailed.name, data, metadata))) continue;
          this.logger.error(`rollback of ${migrationId} failed at step "${action.stepId}": [${action.code}] ${action.message}`);
          return;
        }
        case 'finish': {
          const receivedAt = state.rollback?.receivedAt.getTime() ?? Date.now();
          const data = { migrationId, durationMs: Date.now() - receivedAt, compensated: action.compensated };
          if (!(await this.append(state, rollbackEventIds.rolledBack(state), MigrationRolledBack.name, data, metadata))) continue;
          if (state.rollback) this.metrics.rolledBack(state.rollback.trigger, data.durationMs);
          this.logger.log(`migration ${migrationId}: every compensation ran in ${data.durationMs} ms; checking the target against the pre-migration baseline`);
          continue; // re-fold: the next action is the restoration check, or none when there is no baseline
        }
        case 'verify':
          await this.sendRestorationCheck(state);
          return;
      }
    }
  }

  private async sendRestorationCheck(state: MigrationState): Promise<void> {
    const check = restorationCheck(state);
    if (!check) return;
    await this.bus.sendCommand(CompareWithBaselines, check, { commandId: check.commandId, metadata: { correlationId: state.id, actor: 'bascule' } });
  }

  /** False when another writer appended first: the caller re-folds and decides again. */
  private async append(state: MigrationState, eventId: string, type: string, data: unknown, metadata: Record<string, unknown>): Promise<boolean> {
    try {
      await appendEvents(this.pool, migrationStreamId(state.id), [{ eventId, type, data, metadata }], { expectedVersion: state.version });
      wakeRelay(this.nc, this.bus.topology);
      return true;
    } catch (error) {
      if (isExpectedVersionConflictError(error)) return false;
      throw error;
    }
  }

  private async load(migrationId: string): Promise<MigrationState | null> {
    const events = await readStream(this.pool, migrationStreamId(migrationId));
    try {
      return foldMigration(events);
    } catch (error) {
      if (error instanceof UnknownMigrationStreamError) return null;
      throw error;
    }
  }
}
