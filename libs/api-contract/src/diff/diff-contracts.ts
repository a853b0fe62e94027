import type { OpenApiContract } from '../document/openapi-contract';
import { siteOf } from './change-site';
import type { ContractChange } from './contract-change';
import type { ChangeLevel } from './contract-rules';
import type { DiffContext, StructuralDiff } from './diff-context';
import { endpointChanges } from './rules/endpoint-rules';
import { parameterChanges } from './rules/parameter-rules';
import { requestBodyChanges } from './rules/request-body-rules';
import { responseChanges } from './rules/response-rules';
import { globalSecurityChanges, operationSecurityChanges } from './rules/security-rules';
import { spreadCollections } from './spread-collections';
import { structuralDiffs } from './structural-diffs';

export interface DiffContractsOptions {
  /** Today, for `x-sunset` dates; defaults to the clock. */
  now?: Date;
}

const LEVEL_ORDER: Record<ChangeLevel, number> = { error: 0, warning: 1, info: 2 };

/**
 * Every contract change from the running (`from`) to the new (`to`) document, as oasdiff would
 * name it. api-smart-diff finds the structural differences (following `$ref`s, merging `allOf`,
 * mapping renamed path parameters); our rules decide what each one means for clients.
 */
export function diffContracts(from: OpenApiContract, to: OpenApiContract, options: DiffContractsOptions = {}): ContractChange[] {
  const seen = new Set<string>();
  const context: DiffContext = {
    from: { document: from.bundled, version: from.version },
    to: { document: to.bundled, version: to.version },
    now: options.now ?? new Date(),
    firstTime: (group) => {
      if (seen.has(group)) return false;
      seen.add(group);
      return true;
    },
  };
  const changes = structuralDiffs(from.bundled, to.bundled)
    .flatMap(spreadCollections)
    .flatMap((diff) => changesFor(diff, context));
  return unique(changes).sort(
    (left, right) =>
      LEVEL_ORDER[left.level] - LEVEL_ORDER[right.level] ||
      byCodePoint(left.operation ?? '', right.operation ?? '') ||
      byCodePoint(left.path, right.path) ||
      byCodePoint(left.id, right.id),
  );
}

// Not localeCompare: a report must read the same on every machine.
function byCodePoint(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function changesFor(diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const site = siteOf(diff.path);
  switch (site?.area) {
    case 'operation':
      return endpointChanges(site, diff, context);
    case 'parameter':
      return parameterChanges(site, diff, context);
    case 'request-body':
      return requestBodyChanges(site, diff, context);
    case 'response':
      return responseChanges(site, diff, context);
    case 'operation-security':
      return operationSecurityChanges(site, context);
    case 'global-security':
      return globalSecurityChanges(context);
    default:
      return [];
  }
}

function unique(changes: ContractChange[]): ContractChange[] {
  const keys = new Set<string>();
  return changes.filter((change) => {
    const key = `${change.id}|${change.operation ?? ''}|${change.path}|${change.message}`;
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}
