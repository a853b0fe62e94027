import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AnalysisFailed,
  AnalysisStepFailed,
  ApiStepFailed,
  ApiStepRolledBack,
  DataCompared,
  SchemaStepFailed,
  SchemaStepRolledBack,
  SqlStepFailed,
  SqlStepReverted,
  VerificationErrored,
  VerifyStepFailed,
} from '@bascule/contracts';
import { EventHandler } from '@bascule/messaging';
import { RollbackRunner } from './rollback-runner.service';

/** The relay's envelope; only the migration id matters here: every decision is taken from the stream. */
interface Envelope {
  data: { migrationId: string };
}

/**
 * Events that may start an automatic rollback (a step, a verification, a phase check or an analysis failed)
 * or move a running one on (a compensation's outcome). Each one makes the runner re-read the
 * migration's stream and decide; the event itself is only the wake-up.
 */
@Controller()
export class RollbackEventsHandler {
  constructor(private readonly runner: RollbackRunner) {}

  @EventHandler(SchemaStepRolledBack)
  schemaStepRolledBack(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(SqlStepReverted)
  sqlStepReverted(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(SchemaStepFailed)
  schemaStepFailed(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(SqlStepFailed)
  sqlStepFailed(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(VerifyStepFailed)
  verifyStepFailed(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(VerificationErrored)
  verificationErrored(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(DataCompared)
  dataCompared(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(AnalysisFailed)
  analysisFailed(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(AnalysisStepFailed)
  analysisStepFailed(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(ApiStepFailed)
  apiStepFailed(@Payload() event: Envelope) {
    return this.wake(event);
  }

  @EventHandler(ApiStepRolledBack)
  apiStepRolledBack(@Payload() event: Envelope) {
    return this.wake(event);
  }

  private wake(event: Envelope): Promise<void> {
    return this.runner.reconcile(event.data.migrationId, new Date());
  }
}
