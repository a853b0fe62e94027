import type { SchemaStep } from '../../document/schema-view';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractRuleId } from '../contract-rules';
import type { DiffContext } from '../diff-context';
import { schemaNodeIn, subjectOf, type SchemaSite, type SchemaSubject } from './schema-site';
import { compareTypes, describeType, typeFactsOf, type TypeVerdict } from './type-facts';

type TypeRuleIds = Record<Exclude<TypeVerdict, 'same'>, ContractRuleId>;

// Requests may widen (clients' values still fit); responses may narrow (clients still understand).
const TYPE_RULES: Record<SchemaSubject, TypeRuleIds> = {
  parameter: { widened: 'request-parameter-type-generalized', narrowed: 'request-parameter-type-changed', incomparable: 'request-parameter-type-changed' },
  'request-body': { widened: 'request-body-type-generalized', narrowed: 'request-body-type-changed', incomparable: 'request-body-type-changed' },
  'request-property': { widened: 'request-property-type-generalized', narrowed: 'request-property-type-changed', incomparable: 'request-property-type-changed' },
  'response-body': { widened: 'response-body-type-generalized', narrowed: 'response-body-type-specialized', incomparable: 'response-body-type-changed' },
  'response-property': { widened: 'response-property-type-generalized', narrowed: 'response-property-type-specialized', incomparable: 'response-property-type-changed' },
};

const NULLABLE_RULES: Record<SchemaSubject, { became: ContractRuleId; ceased: ContractRuleId }> = {
  parameter: { became: 'request-parameter-became-nullable', ceased: 'request-parameter-became-not-nullable' },
  'request-body': { became: 'request-body-became-nullable', ceased: 'request-body-became-not-nullable' },
  'request-property': { became: 'request-property-became-nullable', ceased: 'request-property-became-not-nullable' },
  'response-body': { became: 'response-body-became-nullable', ceased: 'response-body-became-not-nullable' },
  'response-property': { became: 'response-property-became-nullable', ceased: 'response-property-became-not-nullable' },
};

/** `type`, `format` and nullability of one schema, compared as a whole: they are one question, "which values fit?". */
export function typeChanges(site: SchemaSite, steps: SchemaStep[], context: DiffContext): ContractChange[] {
  const subject = subjectOf(site.direction, steps);
  if (subject === 'parameter' && steps.length > 0) return [];
  const before = schemaNodeIn(site, context.from, steps);
  const after = schemaNodeIn(site, context.to, steps);
  if (!before || !after) return [];
  const beforeFacts = typeFactsOf(before.view, context.from.version);
  const afterFacts = typeFactsOf(after.view, context.to.version);
  const what = site.describe(steps);
  const keywordPointer = (...keywords: string[]) =>
    keywords.map((keyword) => after.view.keywords.get(keyword)?.pointer).find((pointer) => pointer !== undefined) ?? after.view.node.pointer;
  const changes: ContractChange[] = [];

  const { verdict, decidedBy } = compareTypes(beforeFacts, afterFacts);
  if (verdict !== 'same') {
    // A dropped keyword is no longer in `to`: point at the other one, or at the schema.
    const at = { operation: after.operation, pointer: decidedBy === 'type' ? keywordPointer('type', 'format') : keywordPointer('format', 'type') };
    const how = verdict === 'widened' ? 'was widened' : verdict === 'narrowed' ? 'was narrowed' : 'changed';
    changes.push(contractChange(TYPE_RULES[subject][verdict], at, `the type/format of the ${what} ${how} from ${describeType(beforeFacts)} to ${describeType(afterFacts)}`));
  }
  if (beforeFacts.nullable !== afterFacts.nullable) {
    const at = { operation: after.operation, pointer: keywordPointer('nullable', 'type') };
    const id = afterFacts.nullable ? NULLABLE_RULES[subject].became : NULLABLE_RULES[subject].ceased;
    changes.push(contractChange(id, at, `the ${what} became ${afterFacts.nullable ? 'nullable' : 'not nullable'}`));
  }
  return changes;
}
