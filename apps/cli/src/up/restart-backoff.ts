/** First restart delay; each crash soon after a restart doubles it, up to MAX. */
export const FIRST_RESTART_DELAY_MS = 1_000;
export const MAX_RESTART_DELAY_MS = 30_000;
/** A service that ran this long since its last start counts as recovered: the next crash waits FIRST again. */
export const STABLE_AFTER_MS = 60_000;

/**
 * How long to wait before restarting a service that crashed: 1 s, 2 s, 4 s ... 30 s while it keeps
 * crashing, back to 1 s once it ran a minute. Pure: `ranForMs` is how long the crashed run lasted.
 */
export class RestartBackoff {
  private consecutive = 0;
  private total = 0;

  next(ranForMs: number): { delayMs: number; restart: number } {
    if (ranForMs >= STABLE_AFTER_MS) this.consecutive = 0;
    this.consecutive++;
    this.total++;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (this.consecutive - 1));
    return { delayMs, restart: this.total };
  }
}
