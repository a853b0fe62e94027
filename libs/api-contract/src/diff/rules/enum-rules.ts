import { asArray, canonicalJson } from '../../document/json-node';
import type { SchemaStep } from '../../document/schema-view';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractRuleId } from '../contract-rules';
import type { DiffContext } from '../diff-context';
import { isFlagSet, schemaNodeIn, subjectOf, type SchemaSite, type SchemaSubject } from './schema-site';

interface EnumRuleIds {
  becameEnum?: ContractRuleId;
  valueRemoved?: ContractRuleId;
  valueAdded?: ContractRuleId;
}

// A narrower request enum rejects what clients send; a wider response enum returns what clients
// may not handle. Subjects without an id here have no oasdiff rule we implement for that change.
const ENUM_RULES: Record<SchemaSubject, EnumRuleIds> = {
  parameter: { becameEnum: 'request-parameter-became-enum', valueRemoved: 'request-parameter-enum-value-removed', valueAdded: 'request-parameter-enum-value-added' },
  'request-body': { becameEnum: 'request-body-became-enum', valueRemoved: 'request-body-enum-value-removed' },
  'request-property': { becameEnum: 'request-property-became-enum', valueRemoved: 'request-property-enum-value-removed', valueAdded: 'request-property-enum-value-added' },
  'response-body': { valueRemoved: 'response-mediatype-enum-value-removed' },
  'response-property': { valueRemoved: 'response-property-enum-value-removed', valueAdded: 'response-property-enum-value-added' },
};

export function enumChanges(site: SchemaSite, steps: SchemaStep[], context: DiffContext): ContractChange[] {
  const subject = subjectOf(site.direction, steps);
  if (subject === 'parameter' && steps.length > 0) return [];
  const rules = ENUM_RULES[subject];
  const before = schemaNodeIn(site, context.from, steps);
  const after = schemaNodeIn(site, context.to, steps);
  const beforeEnum = before?.view.keywords.get('enum');
  const afterEnum = after?.view.keywords.get('enum');
  const beforeValues = asArray(beforeEnum?.value);
  const afterValues = asArray(afterEnum?.value);
  // An enum dropped altogether widens the values; no rule of ours covers it yet.
  if (!after || !afterEnum || !afterValues) return [];
  const what = site.describe(steps);

  if (!beforeValues) {
    return rules.becameEnum
      ? [contractChange(rules.becameEnum, { operation: after.operation, pointer: afterEnum.pointer }, `the ${what} was restricted to the values ${afterValues.map(show).join(', ')}`)]
      : [];
  }
  if (!before || !beforeEnum) return [];
  const changes: ContractChange[] = [];
  const afterKeys = new Set(afterValues.map(canonicalJson));
  const beforeKeys = new Set(beforeValues.map(canonicalJson));
  if (rules.valueRemoved) {
    beforeValues.forEach((value, index) => {
      if (afterKeys.has(canonicalJson(value))) return;
      const at = { operation: before.operation, pointer: [...beforeEnum.pointer, index] };
      changes.push(contractChange(rules.valueRemoved as ContractRuleId, at, `removed the enum value ${show(value)} from the ${what}`));
    });
  }
  const writeOnly = subject === 'response-property' && isFlagSet(context.to.document, after.view.node, 'writeOnly');
  if (rules.valueAdded && !writeOnly) {
    afterValues.forEach((value, index) => {
      if (beforeKeys.has(canonicalJson(value))) return;
      const at = { operation: after.operation, pointer: [...afterEnum.pointer, index] };
      changes.push(contractChange(rules.valueAdded as ContractRuleId, at, `added the enum value ${show(value)} to the ${what}`));
    });
  }
  return changes;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
