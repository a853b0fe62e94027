import type { ContractChange } from './contract-change';
import type { ChangeLevel } from './contract-rules';

export interface ContractSummary {
  /** Any error-level change: with `breaking: block` the plan is refused. */
  breaking: boolean;
  counts: Record<ChangeLevel, number>;
}

export function summarizeContract(changes: readonly ContractChange[]): ContractSummary {
  const counts: Record<ChangeLevel, number> = { error: 0, warning: 0, info: 0 };
  for (const change of changes) counts[change.level] += 1;
  return { breaking: counts.error > 0, counts };
}
