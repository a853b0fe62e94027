import { ApiCanaryJudged, ApiStepFailed, ApiStepPromoted, ApiStepRolledBack, ApiTrafficShifted, type MessageDefinition } from '@bascule/contracts';
import type { StoredEvent } from '@bascule/event-store';
import type { z } from 'zod';

/** The facts the api-agent records about a step, as their contracts define them. */
export const API_STEP_EVENTS = [ApiTrafficShifted, ApiCanaryJudged, ApiStepPromoted, ApiStepFailed, ApiStepRolledBack] as const;

type FactOf<D> = D extends MessageDefinition<infer N, infer S> ? { type: N; data: z.infer<S>; position: bigint } : never;

/** One of those facts read back from the log: a union on `type`, so a handler narrows without a cast. */
export type ApiStepFact = FactOf<(typeof API_STEP_EVENTS)[number]>;

/**
 * The event as an api-step fact of `stepId`, parsed by its contract; null for any other event (or
 * one whose data its contract no longer accepts: it cannot say where the step stands).
 */
export function apiStepFactOf(event: StoredEvent, stepId: string): ApiStepFact | null {
  const definition = API_STEP_EVENTS.find((candidate) => candidate.name === event.type);
  const parsed = definition?.schema.safeParse(event.data);
  if (!definition || !parsed?.success || parsed.data.stepId !== stepId) return null;
  // The schema just parsed matches the name beside it: the pair is one member of the union.
  return { type: definition.name, data: parsed.data, position: event.globalPosition } as ApiStepFact;
}
