import { UnrecoverableMessageError } from '../errors/unrecoverable-message.error';
import { decideOnFailure, nakDelayFor } from './redelivery-policy';

describe('redelivery policy', () => {
  it('backs off per delivery and repeats the last delay', () => {
    expect([1, 2, 3, 9].map((n) => nakDelayFor(n, [10, 20, 30]))).toEqual([10, 20, 30, 30]);
    expect(nakDelayFor(3, [])).toBe(0);
  });

  it('retries a failure while deliveries remain, then dead-letters', () => {
    expect(decideOnFailure(new Error('db down'), 1, 3, [50])).toEqual({ action: 'retry', delayMs: 50 });
    expect(decideOnFailure(new Error('db down'), 2, 3, [50])).toEqual({ action: 'retry', delayMs: 50 });
    expect(decideOnFailure(new Error('db down'), 3, 3, [50])).toEqual({ action: 'dead-letter' });
  });

  it('dead-letters an unrecoverable failure on the first delivery', () => {
    expect(decideOnFailure(new UnrecoverableMessageError('no such migration'), 1, 5, [50])).toEqual({ action: 'dead-letter' });
  });
});
