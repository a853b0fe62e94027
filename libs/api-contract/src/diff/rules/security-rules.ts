import { asArray, canonicalJson, isJsonObject, type JsonObject } from '../../document/json-node';
import { childOf, type Located } from '../../document/located';
import { locateOperation } from '../../document/locate-operation';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractRuleId } from '../contract-rules';
import type { DiffContext } from '../diff-context';

interface SecurityRuleIds {
  removed: ContractRuleId;
  added: ContractRuleId;
  scopeAdded: ContractRuleId;
  scopeRemoved: ContractRuleId;
}

const OPERATION_RULES: SecurityRuleIds = {
  removed: 'api-security-removed',
  added: 'api-security-added',
  scopeAdded: 'api-security-scope-added',
  scopeRemoved: 'api-security-scope-removed',
};

const GLOBAL_RULES: SecurityRuleIds = {
  removed: 'api-global-security-removed',
  added: 'api-global-security-added',
  scopeAdded: 'api-global-security-scope-added',
  scopeRemoved: 'api-global-security-scope-removed',
};

interface SecurityList {
  operation?: string;
  list: Located;
}

export function operationSecurityChanges(site: { template: string; method: string }, context: DiffContext): ContractChange[] {
  if (!context.firstTime(`security|${site.template}|${site.method}`)) return [];
  const before = locateOperation(context.from.document, site.template, site.method);
  const after = locateOperation(context.to.document, site.template, site.method);
  if (!before || !after) return [];
  const listOf = (operation: Located): Located => childOf(operation, 'security') ?? { pointer: [...operation.pointer, 'security'], value: [] };
  return securityChanges(
    { operation: before.name, list: listOf(before.operation) },
    { operation: after.name, list: listOf(after.operation) },
    OPERATION_RULES,
    "the endpoint's",
  );
}

export function globalSecurityChanges(context: DiffContext): ContractChange[] {
  if (!context.firstTime('security|global')) return [];
  const listOf = (document: JsonObject): Located => ({ pointer: ['security'], value: document.security ?? [] });
  return securityChanges({ list: listOf(context.from.document) }, { list: listOf(context.to.document) }, GLOBAL_RULES, 'the global');
}

/**
 * `security` lists alternatives: a client satisfies one requirement, and a requirement asks for
 * every scheme in it with all its scopes. Dropping an alternative or asking for a scope more can
 * lock a client out; the opposite cannot.
 */
function securityChanges(before: SecurityList, after: SecurityList, ids: SecurityRuleIds, owner: string): ContractChange[] {
  const { pairs, removed, added } = pairRequirements(requirementsOf(before.list), requirementsOf(after.list));
  const changes: ContractChange[] = [];
  const at = (side: SecurityList, pointer: Located['pointer']) => ({ ...(side.operation === undefined ? {} : { operation: side.operation }), pointer });

  for (const requirement of removed) {
    changes.push(contractChange(ids.removed, at(before, requirement.pointer), `the security requirement ${requirement.key} was removed from ${owner} security`));
  }
  for (const [requirement, kept] of pairs) {
    for (const [scheme, scopes] of Object.entries(requirement.schemes)) {
      const keptScopes = kept.schemes[scheme] ?? [];
      scopes.forEach((scope, index) => {
        if (!keptScopes.includes(scope)) {
          changes.push(contractChange(ids.scopeRemoved, at(before, [...requirement.pointer, scheme, index]), `the scope ${scope} was removed from the security scheme ${scheme} of ${owner} security`));
        }
      });
      keptScopes.forEach((scope, index) => {
        if (!scopes.includes(scope)) {
          changes.push(contractChange(ids.scopeAdded, at(after, [...kept.pointer, scheme, index]), `the scope ${scope} was added to the security scheme ${scheme} of ${owner} security`));
        }
      });
    }
  }
  for (const requirement of added) {
    changes.push(contractChange(ids.added, at(after, requirement.pointer), `the security requirement ${requirement.key} was added to ${owner} security`));
  }
  return changes;
}

interface Requirement {
  /** Its schemes, sorted: `apiKey + oauth`. */
  key: string;
  pointer: Located['pointer'];
  schemes: Record<string, string[]>;
}

/**
 * Which requirement of `after` each one of `before` became. Several may name the same schemes with
 * other scopes (`oauth: [orders:write]` or `oauth: [orders:admin]`): identical ones pair first,
 * then same schemes (scopes changed); what is left was removed or added.
 */
function pairRequirements(before: Requirement[], after: Requirement[]) {
  const removed = [...before];
  const added = [...after];
  const pairs: Array<[Requirement, Requirement]> = [];
  const sameSchemes = (left: Requirement, right: Requirement) => left.key === right.key;
  const identical = (left: Requirement, right: Requirement) => sameSchemes(left, right) && canonicalJson(sortedScopes(left)) === canonicalJson(sortedScopes(right));
  for (const matches of [identical, sameSchemes]) {
    for (const requirement of [...removed]) {
      const match = added.find((candidate) => matches(requirement, candidate));
      if (!match) continue;
      pairs.push([requirement, match]);
      removed.splice(removed.indexOf(requirement), 1);
      added.splice(added.indexOf(match), 1);
    }
  }
  return { pairs, removed, added };
}

function sortedScopes(requirement: Requirement): Record<string, string[]> {
  return Object.fromEntries(Object.entries(requirement.schemes).map(([scheme, scopes]) => [scheme, [...new Set(scopes)].sort()]));
}

// An empty requirement (`{}`) means "no authentication is one option"; like oasdiff, it is not compared.
function requirementsOf(list: Located): Requirement[] {
  return (asArray(list.value) ?? []).flatMap((raw, index) => {
    if (!isJsonObject(raw) || Object.keys(raw).length === 0) return [];
    const schemes = Object.fromEntries(
      Object.entries(raw).map(([scheme, scopes]) => [scheme, (asArray(scopes) ?? []).filter((scope): scope is string => typeof scope === 'string')]),
    );
    return [{ key: Object.keys(schemes).sort().join(' + '), pointer: [...list.pointer, index], schemes }];
  });
}
