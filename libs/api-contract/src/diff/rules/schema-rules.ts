import { canonicalJson, type Segment } from '../../document/json-node';
import type { ContractChange } from '../contract-change';
import type { DiffContext, StructuralDiff } from '../diff-context';
import { enumChanges } from './enum-rules';
import { propertyChanges } from './property-rules';
import { requiredChanges } from './required-rules';
import { parseSchemaPath, type SchemaSite } from './schema-site';
import { typeChanges } from './type-rules';

/** Routes a change inside a request, response or parameter schema to the rules for what changed there. */
export function schemaChanges(site: SchemaSite, segments: Segment[], diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const { steps, keyword } = parseSchemaPath(segments);
  if (keyword.length === 0) {
    return diff.action === 'add' || diff.action === 'remove' ? propertyChanges(site, steps, diff.action, context) : [];
  }
  const group = (name: string) => `${site.key}|${canonicalJson(steps)}|${name}`;
  switch (keyword[0]) {
    case 'type':
    case 'format':
    case 'nullable':
      return context.firstTime(group('type')) ? typeChanges(site, steps, context) : [];
    case 'enum':
      return context.firstTime(group('enum')) ? enumChanges(site, steps, context) : [];
    case 'required':
      return context.firstTime(group('required')) ? requiredChanges(site, steps, context) : [];
    default:
      return [];
  }
}
