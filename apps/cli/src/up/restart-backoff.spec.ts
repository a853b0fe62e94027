import { MAX_RESTART_DELAY_MS, RestartBackoff, STABLE_AFTER_MS } from './restart-backoff';

describe('RestartBackoff', () => {
  it('doubles the delay while a service keeps crashing, caps it, and starts over once it ran a minute', () => {
    const backoff = new RestartBackoff();
    const delays = [1, 2, 3, 4, 5, 6, 7].map(() => backoff.next(500).delayMs);
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, MAX_RESTART_DELAY_MS, MAX_RESTART_DELAY_MS]);
    expect(backoff.next(STABLE_AFTER_MS)).toEqual({ delayMs: 1_000, restart: 8 });
    expect(backoff.next(10).delayMs).toBe(2_000);
  });
});
