import type { BaselineTaken, MessageData } from '@bascule/contracts';
import type { Baseline } from '@bascule/data-verification';
import type { StoredEvent } from '@bascule/event-store';
import { sameTable } from './table-ref';
import { BaselineNotFoundError } from './verification-failure';

export type BaselineSummary = MessageData<typeof BaselineTaken>['tables'][number];

/** The latest `BaselineTaken` with this label: comparisons run from the stream alone, in any copy of the service. */
export function baselineTakenLabelled(events: readonly StoredEvent[], label: string): MessageData<typeof BaselineTaken> {
  const taken = events.filter((event) => event.type === 'BaselineTaken' && (event.data as { label?: unknown }).label === label).at(-1);
  if (!taken) throw new BaselineNotFoundError(label);
  return taken.data as MessageData<typeof BaselineTaken>;
}

export function baselinesLabelled(events: readonly StoredEvent[], label: string): BaselineSummary[] {
  return baselineTakenLabelled(events, label).tables;
}

export function baselineOf(summaries: readonly BaselineSummary[], table: string, label: string): Baseline {
  const found = summaries.find((summary) => sameTable(summary.table, table));
  if (!found) throw new BaselineNotFoundError(label, ` for table ${table}`);
  return found.baseline as Baseline;
}
