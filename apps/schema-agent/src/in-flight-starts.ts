/** Which step of which migration, on which target and schema (a rehearsal runs the same ids on a scratch target). */
export interface StepKey {
  migrationId: string;
  stepId: string;
  target: string;
  schema: string;
}

/** The reason a start's signal carries when the process stops: the start hands its command back. */
export class ShuttingDown extends Error {
  constructor() {
    super('the schema-agent is stopping');
  }
}

/** Rollbacks remembered for a start that had not begun here yet (bounded: oldest forgotten first). */
const MAX_CANCELLED = 10_000;

/**
 * The `schema.start`s running in this process, by migration and step. A rollback of a step whose
 * start is still backfilling must stop that backfill first (the engine checks the signal between
 * batches and throws BackfillInterruptedError) and wait for the start to let go of the schema's
 * advisory lock; otherwise the rollback would find the schema busy, or the start would carry on
 * expanding a step that is being undone. Rolled-back steps are remembered, so a start of that
 * step still queued behind the rollback (or redelivered after it) does not expand it afterwards.
 */
export class InFlightStarts {
  private readonly running = new Map<string, { controller: AbortController; settled: Promise<void> }>();
  private readonly cancelled = new Set<string>();
  private stoppingNow = false;

  /** True once stopAll began: no new start may begin here. */
  get stopping(): boolean {
    return this.stoppingNow;
  }

  /**
   * Stops every start running here at its next batch boundary (the engine checks the signal between
   * batches; its checkpoint already holds every committed batch) and resolves once each let go.
   */
  async stopAll(): Promise<void> {
    this.stoppingNow = true;
    const running = [...this.running.values()];
    for (const entry of running) entry.controller.abort(new ShuttingDown());
    await Promise.all(running.map((entry) => entry.settled));
  }

  /**
   * Runs `start` with a signal a rollback of the same step may abort; skips it if that step was
   * already rolled back here. A second delivery of a start already running here (the bus handed it
   * out again after a NATS outage longer than the ack wait) waits for the running one instead of
   * racing it for the schema.
   */
  async track(step: StepKey, start: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const key = keyOf(step);
    if (this.cancelled.has(key)) return;
    const already = this.running.get(key);
    if (already) return already.settled;
    const controller = new AbortController();
    const run = start(controller.signal);
    const entry = { controller, settled: run.then(() => undefined, () => undefined) };
    this.running.set(key, entry);
    try {
      await run;
    } finally {
      if (this.running.get(key) === entry) this.running.delete(key);
    }
  }

  /** Aborts the step's start if one runs here and resolves once it settled; false when none was running. */
  async abort(step: StepKey): Promise<boolean> {
    const key = keyOf(step);
    // Also covers a redelivery of the start arriving after the rollback (an ack lost on the wire).
    this.remember(key);
    const entry = this.running.get(key);
    if (!entry) return false;
    entry.controller.abort(new Error(`rollback of ${step.migrationId}/${step.stepId} requested`));
    await entry.settled;
    return true;
  }

  private remember(key: string): void {
    this.cancelled.add(key);
    if (this.cancelled.size > MAX_CANCELLED) this.cancelled.delete(this.cancelled.values().next().value as string);
  }
}

function keyOf(step: StepKey): string {
  return [step.migrationId, step.stepId, step.target, step.schema].join('\u0000');
}
