import type { Segment } from '../document/json-node';
import { toJsonPointer } from '../document/json-pointer';
import { CONTRACT_RULES, type ChangeLevel, type ContractRuleId } from './contract-rules';

/** One difference between the running and the new contract, named as oasdiff names it. */
export interface ContractChange {
  /** oasdiff's rule id, e.g. `api-path-removed-without-deprecation`. */
  id: ContractRuleId;
  level: ChangeLevel;
  /** `METHOD /path/{template}`; absent for document-wide changes (global security). */
  operation?: string;
  /** JSON pointer to where the change is written: into `to`, or into `from` for what was removed. */
  path: string;
  message: string;
}

export interface ChangeLocation {
  operation?: string;
  pointer: readonly Segment[];
}

export function contractChange(id: ContractRuleId, at: ChangeLocation, message: string): ContractChange {
  return {
    id,
    level: CONTRACT_RULES[id].level,
    ...(at.operation === undefined ? {} : { operation: at.operation }),
    path: toJsonPointer(at.pointer),
    message,
  };
}
