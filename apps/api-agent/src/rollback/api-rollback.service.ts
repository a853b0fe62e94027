import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiStepFailed, ApiStepRolledBack } from '@bascule/contracts';
import { migrationStreamId, readStream } from '@bascule/event-store';
import type { MigrationState } from '@bascule/orchestration';
import { PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { isInvalidApiStepError } from '../errors';
import { RouterRegistry } from '../routing/router-registry.service';
import type { StepRouter } from '../routing/step-router';
import { apiStepBodyOf, sharesAt, stepFields } from '../step/api-step-body';
import { ApiStepRecorder, stepFact, type RecordingContext } from '../step/api-step-recorder.service';
import { stepFailureOf } from '../step/step-failure';
import { stepProgressOf, type StepProgress } from '../step/step-progress';
import type { StepCommand } from '../canary/canary-runner.service';

/**
 * `api.rollback`: 100 % back on `from`, at once. It judges nothing and waits for nothing: a canary
 * of the step running here is stopped by the step's guard (no later shift of it runs), the router
 * is opened again if this process has none (a restart), and the shares are set. Safe to repeat:
 * shares already at 100/0 are set again and the same `ApiStepRolledBack` id is appended again,
 * which the store drops.
 */
@Injectable()
export class ApiRollback {
  private readonly logger = new Logger(ApiRollback.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly registry: RouterRegistry,
    private readonly recorder: ApiStepRecorder,
  ) {}

  async run(state: MigrationState, command: StepCommand, metadata: Record<string, unknown>): Promise<void> {
    const context: RecordingContext = { ...command, metadata };
    const began = performance.now();
    const fact = stepFields(state, command.stepId);
    // First of all: a canary of this step running here makes no further move, whatever happens next.
    this.registry.guardOf(command).stopCanary();
    let router: StepRouter | null = null;
    try {
      const body = apiStepBodyOf(state, command.stepId);
      const back = sharesAt(body, 0);
      router = await this.registry.open(command, body, back);
      await router.shiftForRollback(back);
      const durationMs = Math.round((performance.now() - began) * 10) / 10;
      await this.recorder.record(context, stepFact(ApiStepRolledBack, { ...fact, shares: back, durationMs }, 'rolled-back'));
      this.logger.log(`${command.migrationId}/${command.stepId}: 100 % back on ${body.from.version} in ${durationMs} ms`);
    } catch (error) {
      const failure = stepFailureOf(error);
      if (!failure) throw error;
      const progress = await this.progressOf(command);
      if (isInvalidApiStepError(error) && progress.lastShares === null) {
        // A step the agent could never parse never moved traffic: there is nothing to put back.
        await this.recorder.record(context, stepFact(ApiStepRolledBack, { ...fact, shares: {}, durationMs: 0 }, 'rolled-back'));
        return;
      }
      if (progress.outcome === 'rolled-back') {
        // A repeat of a rollback that took effect: traffic was put back then, and this failure says nothing new about the step.
        this.logger.warn(`${command.migrationId}/${command.stepId}: repeated rollback could not set the shares again: ${failure.message}`);
        return;
      }
      this.logger.error(`${command.migrationId}/${command.stepId}: rollback failed: ${failure.message}`);
      const shares = router ? await router.adapter.weights().catch(() => null) : null;
      await this.recorder.record(context, stepFact(ApiStepFailed, { ...fact, phase: 'rollback', ...failure, shares }, 'rollback-failed'));
    } finally {
      if (router) await this.registry.release(router);
    }
  }

  private async progressOf(command: StepCommand): Promise<StepProgress> {
    return stepProgressOf(await readStream(this.pool, migrationStreamId(command.migrationId)), command.stepId);
  }
}
