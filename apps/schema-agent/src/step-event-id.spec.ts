import { stepEventId } from './step-event-id';
import { CheckpointThrottle } from './checkpoint-throttle';
import { targetUrl, TargetNotConfiguredError } from './target-url';

describe('stepEventId', () => {
  it('is a stable v5-shaped UUID per command and kind', () => {
    const id = stepEventId('c1', 'started');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stepEventId('c1', 'started')).toBe(id);
    expect(stepEventId('c1', 'expanded')).not.toBe(id);
    expect(stepEventId('c2', 'started')).not.toBe(id);
  });
});

describe('CheckpointThrottle', () => {
  it('records the first tick, then at most one per interval, and always the last', () => {
    let now = 0;
    const throttle = new CheckpointThrottle(1000, 100, () => now);
    expect(throttle.shouldRecord(false)).toBe(true);
    now = 500;
    expect(throttle.shouldRecord(false)).toBe(false);
    now = 1000;
    expect(throttle.shouldRecord(false)).toBe(true);
    now = 1001;
    expect(throttle.shouldRecord(true)).toBe(true);
  });
});

describe('targetUrl', () => {
  it('reads BASCULE_TARGET_<NAME>_URL and names the missing variable', () => {
    expect(targetUrl('app', { BASCULE_TARGET_APP_URL: 'postgres://x' })).toBe('postgres://x');
    expect(() => targetUrl('shop', {})).toThrow(TargetNotConfiguredError);
    expect(() => targetUrl('shop', {})).toThrow(/BASCULE_TARGET_SHOP_URL/);
  });
});
