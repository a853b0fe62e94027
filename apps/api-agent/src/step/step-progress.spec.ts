import { storedEvents } from '../testing/stored-events';
import { stepProgressOf } from './step-progress';

const fact = { stepId: 'shop-v2', service: 'shop' };
const shifted = (canaryStep: number, v2: number): [string, Record<string, unknown>] => ['ApiTrafficShifted', { ...fact, canaryStep, shares: { v1: 100 - v2, v2 } }];
const judged = (canaryStep: number, verdict: string): [string, Record<string, unknown>] => [
  'ApiCanaryJudged',
  { ...fact, canaryStep, shares: {}, verdict, traffic: [], reasons: [] },
];

describe('stepProgressOf', () => {
  it('starts at the first canary step with no shares and no outcome', () => {
    expect(stepProgressOf(storedEvents('m1', ['MigrationStarted', { requestedBy: 'ana' }]), 'shop-v2')).toEqual({ lastShares: null, nextCanaryStep: 0, outcome: null });
  });

  it('runs a shifted step again until it is judged, then goes on to the next', () => {
    const cutShort = stepProgressOf(storedEvents('m1', shifted(0, 5), judged(0, 'pass'), shifted(1, 25)), 'shop-v2');
    expect(cutShort).toMatchObject({ nextCanaryStep: 1, lastShares: { shares: { v1: 75, v2: 25 }, position: 3n }, outcome: null });
    expect(stepProgressOf(storedEvents('m1', shifted(0, 5), judged(0, 'insufficient'), shifted(1, 25), judged(1, 'pass')), 'shop-v2').nextCanaryStep).toBe(2);
  });

  it('never goes back: a step shifted again after a restart does not lower the next step', () => {
    expect(stepProgressOf(storedEvents('m1', shifted(0, 5), judged(0, 'pass'), shifted(1, 25), shifted(1, 25), judged(1, 'pass')), 'shop-v2').nextCanaryStep).toBe(2);
  });

  it('ends with the latest outcome, keeping the shares it recorded', () => {
    const promoted = stepProgressOf(storedEvents('m1', shifted(0, 100), judged(0, 'pass'), ['ApiStepPromoted', { ...fact, shares: { v1: 0, v2: 100 }, durationMs: 5 }]), 'shop-v2');
    expect(promoted).toMatchObject({ outcome: 'promoted', lastShares: { shares: { v1: 0, v2: 100 } } });
    const rolledBack = stepProgressOf(
      storedEvents(
        'm1',
        shifted(0, 5),
        judged(0, 'fail'),
        ['ApiStepFailed', { ...fact, phase: 'canary', code: 'canary_failed', message: 'slow', shares: { v1: 95, v2: 5 } }],
        ['ApiStepRolledBack', { ...fact, shares: { v1: 100, v2: 0 }, durationMs: 1 }],
      ),
      'shop-v2',
    );
    expect(rolledBack).toMatchObject({ outcome: 'rolled-back', lastShares: { shares: { v1: 100, v2: 0 }, position: 4n } });
    const setupFailed = stepProgressOf(storedEvents('m1', ['ApiStepFailed', { ...fact, phase: 'canary', code: 'INVALID_API_STEP', message: 'x', shares: null }]), 'shop-v2');
    expect(setupFailed).toEqual({ lastShares: null, nextCanaryStep: 0, outcome: 'canary-failed' });
  });

  it("ignores other steps' facts and facts its contract does not accept", () => {
    const progress = stepProgressOf(storedEvents('m1', ['ApiTrafficShifted', { ...fact, stepId: 'other', canaryStep: 3, shares: { a: 0, b: 100 } }], ['ApiTrafficShifted', { ...fact, canaryStep: 'two' }]), 'shop-v2');
    expect(progress).toEqual({ lastShares: null, nextCanaryStep: 0, outcome: null });
  });
});
