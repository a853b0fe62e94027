import { findPathKey, locateOperation } from '../../document/locate-operation';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractRuleId } from '../contract-rules';
import type { DiffContext, StructuralDiff } from '../diff-context';
import { retirementOf } from './retirement';

interface OperationSite {
  template: string;
  method: string;
}

/** Operations added or removed; a path that is gone altogether counts against each of its operations. */
export function endpointChanges(site: OperationSite, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  if (diff.action === 'add') {
    const added = locateOperation(context.to.document, site.template, site.method);
    return added ? [contractChange('endpoint-added', { operation: added.name, pointer: added.operation.pointer }, 'endpoint added')] : [];
  }
  if (diff.action !== 'remove') return [];
  const removed = locateOperation(context.from.document, site.template, site.method);
  if (!removed) return [];
  const at = { operation: removed.name, pointer: removed.operation.pointer };
  const pathGone = findPathKey(context.to.document, site.template) === undefined;
  const subject = pathGone ? 'api path' : 'api';
  const ids = (suffix: 'without-deprecation' | 'with-deprecation' | 'before-sunset'): ContractRuleId =>
    pathGone ? `api-path-removed-${suffix}` : `api-removed-${suffix}`;

  const retirement = retirementOf(removed.operation.value, context.now);
  switch (retirement.stage) {
    case 'active':
      return [contractChange(ids('without-deprecation'), at, `${subject} removed without deprecation`)];
    case 'deprecated':
      return [contractChange(ids('with-deprecation'), at, `${subject} removed with deprecation`)];
    case 'before-sunset':
      return [contractChange(ids('before-sunset'), at, `${subject} removed before the sunset date ${retirement.sunset}`)];
    case 'unreadable-sunset':
      return [contractChange('api-path-sunset-parse', at, `failed to parse sunset date ${JSON.stringify(retirement.sunset)}`)];
    case 'past-sunset':
      // The deprecation period ran its course: oasdiff reports nothing, and neither do we.
      return [];
  }
}
