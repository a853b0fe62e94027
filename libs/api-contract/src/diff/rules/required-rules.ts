import { propertyPath, type SchemaStep } from '../../document/schema-view';
import { contractChange, type ContractChange } from '../contract-change';
import type { DiffContext } from '../diff-context';
import { isFlagSet, schemaNodeIn, type SchemaSite } from './schema-site';

/**
 * Properties that kept existing but joined or left `required`. A property that is new or gone is
 * reported by the property rules, once, with its requiredness in the id.
 */
export function requiredChanges(site: SchemaSite, steps: SchemaStep[], context: DiffContext): ContractChange[] {
  if (site.direction === 'parameter') return [];
  const before = schemaNodeIn(site, context.from, steps);
  const after = schemaNodeIn(site, context.to, steps);
  if (!before || !after) return [];
  const name = (property: string): string => `"${propertyPath([...steps, { kind: 'property', name: property }])}"`;
  const where = site.describe([]);
  const changes: ContractChange[] = [];

  for (const [property, pointer] of after.view.required) {
    if (before.view.required.has(property) || !before.view.properties.has(property)) continue;
    const at = { operation: after.operation, pointer };
    if (site.direction === 'response') {
      changes.push(contractChange('response-property-became-required', at, `the response property ${name(property)} became required in the ${where}`));
    } else if (!isFlagSet(context.to.document, after.view.properties.get(property), 'readOnly')) {
      changes.push(contractChange('request-property-became-required', at, `the request property ${name(property)} became required in the ${where}`));
    }
  }
  for (const property of before.view.required.keys()) {
    const declaration = after.view.properties.get(property);
    if (after.view.required.has(property) || !declaration) continue;
    const at = { operation: after.operation, pointer: declaration.pointer };
    if (site.direction === 'request') {
      changes.push(contractChange('request-property-became-optional', at, `the request property ${name(property)} became optional in the ${where}`));
    } else if (!isFlagSet(context.to.document, declaration, 'writeOnly')) {
      changes.push(contractChange('response-property-became-optional', at, `the response property ${name(property)} became optional in the ${where}`));
    }
  }
  return changes;
}
