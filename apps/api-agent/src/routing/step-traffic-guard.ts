/**
 * Orders the traffic changes of one api step in this process and lets a rollback win: once the
 * step is rolled back, a canary's shift still queued or yet to come changes nothing, and a canary
 * waiting out its interval is woken (`canaryCancelled`). Kept per step, not per router, so a
 * router opened again (HAProxy adapters are closed between commands) is still bound by it.
 */
export class StepTrafficGuard {
  private queue: Promise<unknown> = Promise.resolve();
  private rolledBackHere = false;
  private readonly cancel = new AbortController();

  get rolledBack(): boolean {
    return this.rolledBackHere;
  }

  get canaryCancelled(): AbortSignal {
    return this.cancel.signal;
  }

  /** Runs a canary's shift after those queued before it; false (nothing run) once the step is rolled back. */
  canary(shift: () => Promise<void>): Promise<boolean> {
    return this.enqueue(async () => {
      if (this.rolledBackHere) return false;
      await shift();
      return true;
    });
  }

  /** Marks the step rolled back: no canary shift runs from now on, and a canary waiting is woken. */
  stopCanary(): void {
    this.rolledBackHere = true;
    this.cancel.abort();
  }

  /** Stops the canary (`stopCanary`), then runs `shift` after the changes queued before it. */
  rollback(shift: () => Promise<void>): Promise<void> {
    this.stopCanary();
    return this.enqueue(shift);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
