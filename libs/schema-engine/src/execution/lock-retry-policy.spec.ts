import { DatabaseError } from 'pg';
import { backoffDelayMs, DEFAULT_LOCK_RETRY_POLICY, sqlStateOf } from './lock-retry-policy';

describe('backoffDelayMs', () => {
  const policy = { ...DEFAULT_LOCK_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };

  it('draws from [0, base·2^attempt) — full jitter', () => {
    expect(backoffDelayMs(0, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelayMs(30, policy, () => 0.999)).toBe(999);
  });
});

describe('sqlStateOf', () => {
  it('reads a Postgres SQLSTATE and ignores Node error codes', () => {
    const lockTimeout = Object.assign(new DatabaseError('canceling statement due to lock timeout', 0, 'error'), { code: '55P03' });
    expect(sqlStateOf(lockTimeout)).toBe('55P03');
    expect(sqlStateOf(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeNull();
    expect(sqlStateOf(null)).toBeNull();
  });
});
