import { clip, describeExit } from './exit-description';

describe('describeExit', () => {
  it('says how a child ended: its code, or the signal that killed it', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exited with code 1');
    expect(describeExit({ code: 0, signal: null })).toBe('exited with code 0');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
  });
});

describe('clip', () => {
  it('shortens a long log line for a one-line error and leaves a short one alone', () => {
    expect(clip('short')).toBe('short');
    const clipped = clip('x'.repeat(500), 50);
    expect(clipped).toHaveLength(50);
    expect(clipped.endsWith('…')).toBe(true);
  });
});
