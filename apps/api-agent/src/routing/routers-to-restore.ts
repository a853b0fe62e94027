import type { ApiStepBody } from '@bascule/contracts';
import type { StoredEvent } from '@bascule/event-store';
import type { MigrationState } from '@bascule/orchestration';
import { isInvalidApiStepError } from '../errors';
import { apiStepBodyOf, apiStepIdsOf } from '../step/api-step-body';
import { stepProgressOf, type TrafficShares } from '../step/step-progress';
import type { StepOwner } from './step-router';

export interface RouterToRestore {
  owner: StepOwner;
  body: ApiStepBody;
  shares: TrafficShares;
}

/**
 * The embedded routers a restarted agent serves again, each with the shares last recorded for it:
 * a canary in progress (its command comes back and resumes), a failed canary waiting for its
 * rollback or a human, a promoted step (100 % on the new version), and a rolled-back one (100 % on
 * the old version: clients still reach the service through `listen`, and the rollback promised
 * them `from`). Steps that never moved traffic have no router. When several steps routed one
 * address, the one that moved traffic last owns it. Pure: migrations and their events in.
 */
export function routersToRestore(migrations: ReadonlyArray<{ state: MigrationState; events: readonly StoredEvent[] }>): RouterToRestore[] {
  const byAddress = new Map<string, RouterToRestore & { position: bigint }>();
  for (const { state, events } of migrations) {
    for (const stepId of apiStepIdsOf(state)) {
      const body = parsedOrNull(state, stepId);
      if (body?.router.kind !== 'embedded') continue;
      const last = stepProgressOf(events, stepId).lastShares;
      if (!last || Object.keys(last.shares).length === 0) continue;
      const held = byAddress.get(body.router.listen);
      if (held && held.position > last.position) continue;
      byAddress.set(body.router.listen, { owner: { migrationId: state.id, stepId }, body, shares: last.shares, position: last.position });
    }
  }
  return [...byAddress.values()].map(({ owner, body, shares }) => ({ owner, body, shares }));
}

/** A body that does not parse never got a router: nothing to restore. */
function parsedOrNull(state: MigrationState, stepId: string): ApiStepBody | null {
  try {
    return apiStepBodyOf(state, stepId);
  } catch (error) {
    if (isInvalidApiStepError(error)) return null;
    throw error;
  }
}
