import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { createResponseValidator, loadOpenApiDocument, type ResponseValidator } from '@bascule/api-contract';
import { ApiCanaryJudged, ApiStepFailed, ApiStepPromoted, ApiTrafficShifted, durationToMs, type ApiStepBody } from '@bascule/contracts';
import { migrationStreamId, readStream } from '@bascule/event-store';
import { findStep, type MigrationState } from '@bascule/orchestration';
import { PG_POOL } from '@bascule/service-kit';
import type { Pool } from 'pg';
import { ApiTrafficMetrics } from '../metrics/api-traffic-metrics';
import { RouterRegistry } from '../routing/router-registry.service';
import type { StepRouter } from '../routing/step-router';
import { apiStepBodyOf, sharesAt, stepFields } from '../step/api-step-body';
import { ApiStepRecorder, stepFact, type RecordingContext } from '../step/api-step-recorder.service';
import { stepFailureOf } from '../step/step-failure';
import { stepProgressOf, type StepProgress } from '../step/step-progress';
import { judgeCanaryWindow } from './canary-judge';
import { sleepUnless } from './interruptible-sleep';
import { OldVersionReference } from './old-version-reference';
import { joinWindows, WindowObserver, type ObservedWindow } from './window-observer';

/**
 * A canary step whose window had too little traffic to judge is served longer, interval after
 * interval, up to this many intervals in all; still unjudged then, the step fails: a version is
 * never promoted on no evidence.
 */
export const MAX_INTERVALS_PER_STEP = 10;

/** `finished`: the step's outcome is recorded (or another run or a rollback owns it); `handed-back`: the agent is stopping, run it again later. */
export type CanaryRun = 'finished' | 'handed-back';

export interface StepCommand {
  migrationId: string;
  stepId: string;
  commandId: string;
}

/**
 * `api.start`: walks the step's canary. For each share of `canary.steps` it moves traffic, records
 * `ApiTrafficShifted`, serves for `interval`, judges the window (new version against old, same
 * window) and records `ApiCanaryJudged`; a failed window records `ApiStepFailed` and leaves traffic
 * where it is (the rollback-manager decides, and sends `api.rollback`); after 100 % passes,
 * `ApiStepPromoted`. A redelivered command resumes at the first canary step not judged yet.
 */
@Injectable()
export class CanaryRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CanaryRunner.name);
  private readonly stopping = new AbortController();
  private readonly running = new Map<string, Promise<CanaryRun>>();
  /** Tells the facts of one run from another's: a canary step run again after a restart is a new shift in the log. */
  private readonly bootId = String(Date.now());
  private runCount = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly registry: RouterRegistry,
    private readonly recorder: ApiStepRecorder,
    private readonly metrics: ApiTrafficMetrics,
  ) {}

  get isStopping(): boolean {
    return this.stopping.signal.aborted;
  }

  async run(state: MigrationState, command: StepCommand, metadata: Record<string, unknown>): Promise<CanaryRun> {
    const key = `${command.migrationId}\u0000${command.stepId}`;
    // A second delivery while the first still runs here: that run records the outcome.
    if (this.running.has(key)) return 'finished';
    const run = this.canary(state, { ...command, metadata });
    this.running.set(key, run);
    try {
      return await run;
    } finally {
      this.running.delete(key);
    }
  }

  /** Stops every canary at once (its interval cut short, nothing judged), so its command is handed back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.running.values());
  }

  private async canary(state: MigrationState, context: RecordingContext): Promise<CanaryRun> {
    const progress = stepProgressOf(await readStream(this.pool, migrationStreamId(context.migrationId)), context.stepId);
    // Promoted, failed or rolled back: a late delivery has nothing left to do.
    if (progress.outcome !== null) return 'finished';
    let body: ApiStepBody;
    let router: StepRouter;
    let validator: ResponseValidator | null;
    try {
      // Everything that can refuse the step is checked before the router is touched.
      body = apiStepBodyOf(state, context.stepId);
      validator = body.router.kind === 'embedded' ? createResponseValidator(await loadOpenApiDocument(body.to.openapi, { baseDir: process.cwd(), label: `to (${body.to.version})` })) : null;
      router = await this.registry.open(context, body, progress.lastShares?.shares ?? sharesAt(body, 0));
    } catch (error) {
      const failure = stepFailureOf(error);
      if (!failure) throw error;
      this.logger.warn(`api step ${context.migrationId}/${context.stepId} cannot run: ${failure.message}`);
      await this.recorder.record(context, stepFact(ApiStepFailed, { ...stepFields(state, context.stepId), phase: 'canary', ...failure, shares: null }, 'failed'));
      return 'finished';
    }
    if (validator) router.contract?.arm(validator);
    try {
      return await this.walk(state, context, body, router, progress);
    } catch (error) {
      const failure = stepFailureOf(error);
      if (!failure) throw error;
      const shares = await router.adapter.weights().catch(() => null);
      await this.recorder.record(context, stepFact(ApiStepFailed, { ...stepFields(state, context.stepId), phase: 'canary', ...failure, shares }, 'failed'));
      return 'finished';
    } finally {
      router.contract?.disarm();
      await this.registry.release(router);
    }
  }

  private async walk(state: MigrationState, context: RecordingContext, body: ApiStepBody, router: StepRouter, progress: StepProgress): Promise<CanaryRun> {
    const { steps } = body.canary;
    const intervalMs = durationToMs(body.canary.interval) ?? 30_000;
    const runId = `${this.bootId}.${++this.runCount}`;
    const cut = AbortSignal.any([this.stopping.signal, router.guard.canaryCancelled]);
    const reference = new OldVersionReference();
    const fact = stepFields(state, context.stepId);
    if (progress.nextCanaryStep > 0) this.logger.log(`canary of ${context.migrationId}/${context.stepId} resumes at step ${progress.nextCanaryStep + 1} of ${steps.length}`);
    for (let index = progress.nextCanaryStep; index < steps.length; index++) {
      const shares = sharesAt(body, steps[index]);
      if (cut.aborted || !(await router.shiftForCanary(shares))) return this.cutShort(context);
      let observer = await WindowObserver.begin(router);
      await this.recorder.record(context, stepFact(ApiTrafficShifted, { ...fact, canaryStep: index, shares }, runId, String(index)));
      let observed: ObservedWindow | null = null;
      let judgement: ReturnType<typeof judgeCanaryWindow> | null = null;
      let intervals = 0;
      while (judgement === null || (judgement.verdict === 'insufficient' && intervals < MAX_INTERVALS_PER_STEP)) {
        await sleepUnless(intervalMs, cut);
        if (cut.aborted) return this.cutShort(context);
        const window = await observer.end();
        observer = await WindowObserver.begin(router);
        observed = observed ? joinWindows(observed, window) : window;
        intervals++;
        judgement = judgeCanaryWindow({ ...observed, reference: reference.preview(observed.from) });
      }
      if (observed) reference.remember(observed.from);
      if (judgement.verdict === 'insufficient') {
        const message = `canary step ${index + 1} of ${steps.length} (${steps[index]} % on ${body.to.version}) could not be judged after ${intervals} intervals: ${judgement.reasons.join('; ')}`;
        const judged = stepFact(ApiCanaryJudged, { ...fact, canaryStep: index, shares, verdict: judgement.verdict, traffic: judgement.traffic, reasons: judgement.reasons }, runId, String(index));
        await this.recorder.record(context, judged, stepFact(ApiStepFailed, { ...fact, phase: 'canary', code: 'canary_unjudged', message, shares }, 'failed'));
        return 'finished';
      }
      this.metrics.windowJudged(judgement.verdict);
      const judged = stepFact(ApiCanaryJudged, { ...fact, canaryStep: index, shares, verdict: judgement.verdict, traffic: judgement.traffic, reasons: judgement.reasons }, runId, String(index));
      if (judgement.verdict !== 'fail') {
        await this.recorder.record(context, judged);
        continue;
      }
      const message = `canary step ${index + 1} of ${steps.length} (${steps[index]} % on ${body.to.version}) failed: ${judgement.failures.join('; ')}`;
      this.logger.warn(`${context.migrationId}/${context.stepId}: ${message}`);
      // The window and the step's failure land together: a restart never finds one without the other.
      await this.recorder.record(context, judged, stepFact(ApiStepFailed, { ...fact, phase: 'canary', code: 'canary_failed', message, shares }, 'failed'));
      return 'finished';
    }
    const startedAt = findStep(state, context.stepId)?.startedAt?.getTime() ?? Date.now();
    await this.recorder.record(context, stepFact(ApiStepPromoted, { ...fact, shares: sharesAt(body, 100), durationMs: Date.now() - startedAt }));
    this.logger.log(`${context.migrationId}/${context.stepId}: ${body.to.version} promoted, serving 100 %`);
    return 'finished';
  }

  /** The interval was cut short: by a stopping agent (hand the command back) or by the step's rollback (done). */
  private cutShort(context: RecordingContext): CanaryRun {
    if (this.isStopping) return 'handed-back';
    this.logger.log(`canary of ${context.migrationId}/${context.stepId} stopped: the step was rolled back`);
    return 'finished';
  }
}
