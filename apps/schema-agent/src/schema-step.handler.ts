import { Controller, Inject, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  BackfillCheckpointRecorded,
  CompleteSchemaStep,
  RollbackSchemaStep,
  SchemaStepCompleted,
  SchemaStepExpanded,
  SchemaStepFailed,
  SchemaStepRolledBack,
  SchemaStepStarted,
  StartSchemaStep,
  type MessageData,
} from '@bascule/contracts';
import { CommandHandler, type JetStreamContext } from '@bascule/messaging';
import { PlanBinding } from '@bascule/plan-binding';
import { BackfillInterruptedError, parseMigration, SchemaEngine, versionSchemaName, type BackfillProgress } from '@bascule/schema-engine';
import { PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { BackfillMetrics } from './backfill-metrics';
import { CheckpointThrottle } from './checkpoint-throttle';
import { InFlightStarts, ShuttingDown } from './in-flight-starts';
import { StepEventLog } from './step-event-log';
import { isTransientFailure, stepFailureOf } from './step-failure';
import { targetUrl } from './target-url';
import { throttleGate } from './throttle-gate';

type StepRef = MessageData<typeof CompleteSchemaStep>;
type Phase = 'start' | 'complete' | 'rollback';

/**
 * Runs schema steps on their targets and records what happened in `migration-<id>`. A failure is
 * a fact (recorded, command acked); only a lock timeout is thrown so the bus retries it later.
 * Each command is first bound to its migration's events (PlanBinding): the step runs as the stored
 * plan says, and a command no migration asked for runs nothing.
 *
 * On SIGTERM (Nest's beforeApplicationShutdown, while the bus is still connected) every backfill
 * running here stops at its next batch boundary and its command is handed back, unacknowledged and
 * not counted as a failure: the next delivery (the restarted agent, or another copy) resumes from
 * the engine's checkpoint.
 */
@Controller()
export class SchemaStepHandler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SchemaStepHandler.name);
  private readonly inFlight = new InFlightStarts();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly binding: PlanBinding,
    private readonly backfillMetrics: BackfillMetrics,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.stopAll();
  }

  @CommandHandler(StartSchemaStep)
  async start(@Payload() message: MessageData<typeof StartSchemaStep>, @Ctx() ctx?: JetStreamContext): Promise<void> {
    if (this.inFlight.stopping) return ctx?.handBack('the schema-agent is stopping');
    const command = await this.binding.bind(StartSchemaStep, message);
    if (!command) return;
    const log = new StepEventLog(this.pool, command.migrationId, command.commandId);
    const throttle = new CheckpointThrottle();
    const meter = this.backfillMetrics.meter(command.backfill?.delayMs ?? 0);
    const onProgress = (progress: BackfillProgress): void => {
      meter.batchDone(progress);
      // An event only for a persisted checkpoint: a restart resumes from it, so the stream never
      // claims more than a crash would keep (the engine checkpoints every few batches).
      if (!progress.checkpointed || !throttle.shouldRecord(progress.done)) return;
      log.enqueue(`checkpoint:${progress.table}:${progress.rowsDone}`, BackfillCheckpointRecorded.name, {
        ...factOf(command),
        table: progress.table,
        rowsDone: progress.rowsDone,
        rowsTotal: progress.totalEstimate === null ? null : Math.max(0, Math.round(progress.totalEstimate)),
        lastKey: progress.lastKey,
      });
    };
    await this.inFlight.track(command, (signal) => this.run(command, 'start', log, { onProgress, backfill: command.backfill }, async (engine) => {
      const migration = parseMigration(command.migration, command.stepId, 'json');
      const versionSchema = versionSchemaName(command.schema, migration);
      await log.record('started', SchemaStepStarted.name, { ...factOf(command), versionSchema });
      const began = Date.now();
      // A redelivered start resumes: the engine continues its backfill from its own checkpoint.
      const throttle = throttleGate(this.pool, command.migrationId, signal, (held) =>
        this.logger.log(`backfill of ${command.migrationId}/${command.stepId} ${held ? 'held: the monitor throttles it' : 'goes on: the monitor resumed it'}`),
      );
      const result = await engine.start(migration, { signal, throttle: meter.timed(throttle) }).catch((error: unknown) => {
        if (!signal.aborted || !(error instanceof BackfillInterruptedError)) throw error;
        // Stopped because this process is stopping: the next delivery resumes from the checkpoint.
        if (signal.reason instanceof ShuttingDown) ctx?.handBack(`backfill of ${error.table} stopped at ${error.rowsDone} rows by shutdown`);
        // Stopped by this step's rollback: that is the rollback working, not a failure to report.
        return null;
      });
      if (!result) return;
      await log.record('expanded', SchemaStepExpanded.name, {
        ...factOf(command),
        versionSchema: result.versionSchema,
        durationMs: Date.now() - began,
      });
    }));
  }

  @CommandHandler(CompleteSchemaStep)
  async complete(@Payload() message: StepRef): Promise<void> {
    const command = await this.binding.bind(CompleteSchemaStep, message);
    if (!command) return;
    const log = new StepEventLog(this.pool, command.migrationId, command.commandId);
    await this.run(command, 'complete', log, {}, async (engine) => {
      const began = Date.now();
      await engine.complete();
      await log.record('completed', SchemaStepCompleted.name, { ...factOf(command), durationMs: Date.now() - began });
    });
  }

  @CommandHandler(RollbackSchemaStep)
  async rollback(@Payload() message: MessageData<typeof RollbackSchemaStep>): Promise<void> {
    const command = await this.binding.bind(RollbackSchemaStep, message);
    if (!command) return;
    const log = new StepEventLog(this.pool, command.migrationId, command.commandId);
    // A backfill of this step still running here is stopped first; the rollback then has the schema.
    await this.inFlight.abort(command);
    await this.run(command, 'rollback', log, {}, async (engine) => {
      const began = Date.now();
      await engine.rollback();
      await log.record('rolled-back', SchemaStepRolledBack.name, { ...factOf(command), durationMs: Date.now() - began });
    });
  }

  private async run(
    command: StepRef,
    phase: Phase,
    log: StepEventLog,
    options: Pick<ConstructorParameters<typeof SchemaEngine>[0], 'onProgress' | 'backfill'>,
    work: (engine: SchemaEngine) => Promise<void>,
  ): Promise<void> {
    let engine: SchemaEngine | undefined;
    try {
      engine = new SchemaEngine({ databaseUrl: targetUrl(command.target), schema: command.schema, ...options });
      await work(engine);
    } catch (error) {
      await log.flush().catch(() => undefined);
      if (isTransientFailure(error)) throw error; // nak: the bus redelivers with backoff
      const failure = stepFailureOf(error);
      this.logger.warn(`schema ${phase} of ${command.migrationId}/${command.stepId} failed: ${failure.message}`);
      await log.record(`failed:${phase}`, SchemaStepFailed.name, { ...factOf(command), phase, ...failure });
    } finally {
      await engine?.close();
    }
  }
}

function factOf(command: StepRef): { migrationId: string; stepId: string; target: string; schema: string } {
  return { migrationId: command.migrationId, stepId: command.stepId, target: command.target, schema: command.schema };
}
