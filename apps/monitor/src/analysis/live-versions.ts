import { SchemaStepCompleted, SchemaStepExpanded, SchemaStepRolledBack, type MessageData } from '@bascule/contracts';
import type { StoredEvent } from '@bascule/event-store';

/** The schema a step changed and the version schema its new shape is served from. */
export interface LiveVersions {
  stepId: string;
  /** The physical schema: the old version's tables. */
  schema: string;
  /** The new version's views. */
  versionSchema: string;
}

/**
 * While a schema step is expanded (started, not completed, not rolled back), the old and the new
 * version both serve: this is the latest such step's pair, or null.
 */
export function liveVersions(events: readonly StoredEvent[]): LiveVersions | null {
  const ended = new Set<string>();
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.type === SchemaStepCompleted.name || event.type === SchemaStepRolledBack.name) {
      ended.add((event.data as { stepId: string }).stepId);
    } else if (event.type === SchemaStepExpanded.name) {
      const expanded = event.data as MessageData<typeof SchemaStepExpanded>;
      if (!ended.has(expanded.stepId)) return { stepId: expanded.stepId, schema: expanded.schema, versionSchema: expanded.versionSchema };
    }
  }
  return null;
}
