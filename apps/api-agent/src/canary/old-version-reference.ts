import { MIN_SAMPLES } from './canary-judge';
import type { VersionWindow } from './canary-window';

/** Earlier windows kept for the top-up: enough to fill MIN_SAMPLES after a thin 5 % step. */
const KEPT_WINDOWS = 4;

/**
 * The old version's figures a canary window is judged against. Its own window's when it served
 * enough; otherwise topped up with its most recent earlier windows (newest first), like the
 * monitor tops up a thin window: at 100 % the old version serves nothing, and the new one is then
 * held to what the old one did just before. A restarted agent has no earlier windows: a thin
 * window then stays insufficient.
 */
export class OldVersionReference {
  private readonly earlier: VersionWindow[] = [];

  /** The reference for `current` (the old version's window just observed), then remembers `current`. */
  referenceFor(current: VersionWindow): VersionWindow {
    const reference = this.topUp(current);
    this.remember(current);
    return reference;
  }

  /** The reference for `current` without remembering it: a step's window still growing. */
  preview(current: VersionWindow): VersionWindow {
    return this.topUp(current);
  }

  /** Keeps a finished step's window of the old version for the steps after it. */
  remember(current: VersionWindow): void {
    if (current.requests === 0) return;
    this.earlier.unshift(current);
    this.earlier.length = Math.min(this.earlier.length, KEPT_WINDOWS);
  }

  private topUp(current: VersionWindow): VersionWindow {
    const reference = { ...current, latencyMs: current.latencyMs === null ? null : [...current.latencyMs] };
    for (const window of this.earlier) {
      const latencyShort = reference.latencyMs !== null && reference.latencyMs.length < MIN_SAMPLES;
      if (reference.requests >= MIN_SAMPLES && !latencyShort) break;
      if (reference.requests < MIN_SAMPLES) {
        reference.requests += window.requests;
        reference.serverErrors += window.serverErrors;
      }
      if (latencyShort && window.latencyMs !== null) reference.latencyMs = [...(reference.latencyMs ?? []), ...window.latencyMs];
    }
    return reference;
  }
}
