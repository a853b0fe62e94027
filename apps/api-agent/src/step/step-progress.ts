import type { StoredEvent } from '@bascule/event-store';
import { apiStepFactOf, type ApiStepFact } from './api-step-facts';

export type TrafficShares = Record<string, number>;

/** How an api step ended, as far as its events say: the latest of these facts wins. */
export type StepOutcome = 'promoted' | 'canary-failed' | 'rolled-back' | 'rollback-failed';

export interface StepProgress {
  /** The shares last recorded for the step's router, and where in the log; null before any shift. */
  lastShares: { shares: TrafficShares; position: bigint } | null;
  /**
   * The canary step to run next: one shifted but not judged yet is run again (its window was cut
   * short), one judged is done. 0 before any shift.
   */
  nextCanaryStep: number;
  outcome: StepOutcome | null;
}

const START: StepProgress = { lastShares: null, nextCanaryStep: 0, outcome: null };

/**
 * Where an api step stands, folded from its migration's events: what a redelivered `api.start`
 * resumes from, and the shares a restarted agent gives its router back. Pure: events in.
 */
export function stepProgressOf(events: readonly StoredEvent[], stepId: string): StepProgress {
  let progress = START;
  for (const event of events) {
    const fact = apiStepFactOf(event, stepId);
    if (fact) progress = evolve(progress, fact);
  }
  return progress;
}

function evolve(progress: StepProgress, fact: ApiStepFact): StepProgress {
  const withShares = (shares: TrafficShares | null): StepProgress => (shares ? { ...progress, lastShares: { shares, position: fact.position } } : progress);
  switch (fact.type) {
    case 'ApiTrafficShifted':
      return { ...withShares(fact.data.shares), nextCanaryStep: Math.max(progress.nextCanaryStep, fact.data.canaryStep) };
    case 'ApiCanaryJudged':
      return { ...progress, nextCanaryStep: Math.max(progress.nextCanaryStep, fact.data.canaryStep + 1) };
    case 'ApiStepPromoted':
      return { ...withShares(fact.data.shares), outcome: 'promoted' };
    case 'ApiStepFailed':
      return { ...withShares(fact.data.shares), outcome: fact.data.phase === 'canary' ? 'canary-failed' : 'rollback-failed' };
    case 'ApiStepRolledBack':
      return { ...withShares(fact.data.shares), outcome: 'rolled-back' };
  }
}
