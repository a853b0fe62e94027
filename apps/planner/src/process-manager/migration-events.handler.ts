import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventHandler } from '@bascule/messaging';
import { ProcessManager } from './process-manager.service';

/** The relay's envelope; only the stream matters: the process manager re-reads it from the store. */
interface EventEnvelope {
  streamId?: string;
  streamVersion?: number;
  data?: { migrationId?: unknown };
}

const STREAM_PREFIX = 'migration-';
/** A nudge re-reads the stream, so a repeated one decides nothing twice: no processed-message bookkeeping. */
const NUDGE = { idempotentByItself: true };

/**
 * Every event that can move a migration on wakes the process manager for that migration. The
 * event itself is only a nudge: decisions come from the stored stream, so a redelivered, late or
 * out-of-order event decides nothing wrong. Backfill checkpoints are not here on purpose: they
 * never move a migration and arrive many times a second.
 */
@Controller()
export class MigrationEventsHandler {
  constructor(private readonly processManager: ProcessManager) {}

  @EventHandler('MigrationStarted', NUDGE) started(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('MigrationResumed', NUDGE) resumed(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('PhaseStarted', NUDGE) phaseStarted(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('StepDispatched', NUDGE) stepDispatched(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('StepApproved', NUDGE) stepApproved(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('PhaseCompleted', NUDGE) phaseCompleted(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('MigrationExpanded', NUDGE) expanded(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('MigrationCompleteRequested', NUDGE) completeRequested(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('BaselineTaken', NUDGE) baselineTaken(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('DataCompared', NUDGE) dataCompared(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('SchemaStepExpanded', NUDGE) schemaExpanded(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('SchemaStepCompleted', NUDGE) schemaCompleted(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('SqlStepApplied', NUDGE) sqlApplied(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('VerifyStepPassed', NUDGE) verifyPassed(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('RollbackRehearsed', NUDGE) rehearsed(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('MonitorBaselineRecorded', NUDGE) monitorBaseline(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('AnalysisStepPassed', NUDGE) analysisPassed(@Payload() e: EventEnvelope) { return this.nudge(e); }
  @EventHandler('ApiStepPromoted', NUDGE) apiPromoted(@Payload() e: EventEnvelope) { return this.nudge(e); }

  private async nudge(envelope: EventEnvelope): Promise<void> {
    const fromStream = envelope.streamId?.startsWith(STREAM_PREFIX) ? envelope.streamId.slice(STREAM_PREFIX.length) : undefined;
    const migrationId = fromStream ?? (typeof envelope.data?.migrationId === 'string' ? envelope.data.migrationId : undefined);
    if (!migrationId) return;
    // The version only lets the process manager skip a fold it already made; from another stream it means nothing.
    const version = fromStream !== undefined && typeof envelope.streamVersion === 'number' ? envelope.streamVersion : undefined;
    await this.processManager.nudge(migrationId, version);
  }
}
