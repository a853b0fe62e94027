import { ApiCanaryJudged, ApiStepFailed, ApiStepPromoted, ApiStepRolledBack, ApiTrafficShifted, type MessageData } from '@bascule/contracts';
import type { FoldableEvent } from '@bascule/orchestration';

/** One judged canary step: the new version against the old in the same window. */
export type CanaryJudgement = Omit<MessageData<typeof ApiCanaryJudged>, 'migrationId' | 'stepId' | 'service'> & { at: Date };

export type ApiStepOutcome =
  | { kind: 'promoted'; at: Date; durationMs: number }
  | { kind: 'failed'; at: Date; phase: 'canary' | 'rollback'; code: string; message: string }
  | { kind: 'rolled_back'; at: Date; durationMs: number };

/** What the api-agent reported of one api step: where traffic is, every judged canary step, how it ended. */
export interface ApiStepProgress {
  service: string;
  /** Percent of traffic per version, as last applied by the router; null before the first shift. */
  shares: Record<string, number> | null;
  /** Index into the spec's `canary.steps` of the last shift; null before the first. */
  canaryStep: number | null;
  judged: CanaryJudgement[];
  /** The latest of promoted, failed, rolled back (a rollback follows a failure or a promotion). */
  outcome: ApiStepOutcome | null;
}

type Progress = Map<string, ApiStepProgress>;

function progressOf(progress: Progress, fact: { stepId: string; service: string }): ApiStepProgress {
  const known = progress.get(fact.stepId);
  if (known) return known;
  const fresh: ApiStepProgress = { service: fact.service, shares: null, canaryStep: null, judged: [], outcome: null };
  progress.set(fact.stepId, fresh);
  return fresh;
}

/**
 * One small handler per api event, each reading its payload through the event's own contract, so
 * a renamed field breaks the build here rather than folding nothing (STYLE.md).
 */
const HANDLERS: Record<string, (progress: Progress, data: unknown, at: Date) => void> = {
  [ApiTrafficShifted.name]: (progress, data) => {
    const shifted = ApiTrafficShifted.schema.safeParse(data);
    if (!shifted.success) return;
    const step = progressOf(progress, shifted.data);
    step.shares = shifted.data.shares;
    step.canaryStep = shifted.data.canaryStep;
  },
  [ApiCanaryJudged.name]: (progress, data, at) => {
    const judged = ApiCanaryJudged.schema.safeParse(data);
    if (!judged.success) return;
    const { migrationId: _migrationId, stepId: _stepId, service: _service, ...judgement } = judged.data;
    progressOf(progress, judged.data).judged.push({ ...judgement, at });
  },
  [ApiStepPromoted.name]: (progress, data, at) => {
    const promoted = ApiStepPromoted.schema.safeParse(data);
    if (!promoted.success) return;
    const step = progressOf(progress, promoted.data);
    step.shares = promoted.data.shares;
    step.outcome = { kind: 'promoted', at, durationMs: promoted.data.durationMs };
  },
  [ApiStepFailed.name]: (progress, data, at) => {
    const failed = ApiStepFailed.schema.safeParse(data);
    if (!failed.success) return;
    const step = progressOf(progress, failed.data);
    if (failed.data.shares) step.shares = failed.data.shares;
    step.outcome = { kind: 'failed', at, phase: failed.data.phase, code: failed.data.code, message: failed.data.message };
  },
  [ApiStepRolledBack.name]: (progress, data, at) => {
    const rolledBack = ApiStepRolledBack.schema.safeParse(data);
    if (!rolledBack.success) return;
    const step = progressOf(progress, rolledBack.data);
    step.shares = rolledBack.data.shares;
    step.outcome = { kind: 'rolled_back', at, durationMs: rolledBack.data.durationMs };
  },
};

/**
 * The canary progress of every api step of a migration, from its events. The migration's fold
 * keeps only each step's status; the shares and verdicts are for people (status and report), so
 * they are read here, at the edge, from the same stream.
 */
export function apiStepProgress(events: readonly FoldableEvent[]): Map<string, ApiStepProgress> {
  const progress: Progress = new Map();
  for (const event of events) HANDLERS[event.type]?.(progress, event.data, event.recordedAt);
  return progress;
}
