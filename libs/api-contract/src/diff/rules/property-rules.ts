import { propertyPath, type SchemaStep } from '../../document/schema-view';
import { contractChange, type ContractChange } from '../contract-change';
import type { DiffContext } from '../diff-context';
import { isFlagSet, schemaNodeIn, type SchemaSite } from './schema-site';

/** A property appeared in or vanished from a request or response schema. */
export function propertyChanges(site: SchemaSite, steps: SchemaStep[], action: 'add' | 'remove', context: DiffContext): ContractChange[] {
  const last = steps.at(-1);
  if (site.direction === 'parameter' || last?.kind !== 'property') return [];
  const side = action === 'add' ? context.to : context.from;
  const parent = schemaNodeIn(site, side, steps.slice(0, -1));
  const declaration = parent?.view.properties.get(last.name);
  if (!parent || !declaration) return [];
  const at = { operation: parent.operation, pointer: declaration.pointer };
  const required = parent.view.required.has(last.name);
  const name = `"${propertyPath(steps)}"`;
  const where = site.describe([]);

  if (site.direction === 'request') {
    if (action === 'remove') return [contractChange('request-property-removed', at, `removed the request property ${name} from the ${where}`)];
    // A readOnly property is never sent by clients, so requiring it asks nothing of them.
    if (isFlagSet(side.document, declaration, 'readOnly')) return [];
    return required
      ? [contractChange('new-required-request-property', at, `added the new required request property ${name} to the ${where}`)]
      : [contractChange('new-optional-request-property', at, `added the new optional request property ${name} to the ${where}`)];
  }
  // A writeOnly property never appears in responses, so clients cannot have relied on it.
  if (isFlagSet(side.document, declaration, 'writeOnly')) return [];
  if (action === 'add') {
    return required
      ? [contractChange('response-required-property-added', at, `added the required property ${name} to the ${where}`)]
      : [contractChange('response-optional-property-added', at, `added the optional property ${name} to the ${where}`)];
  }
  return required
    ? [contractChange('response-required-property-removed', at, `removed the required property ${name} from the ${where}`)]
    : [contractChange('response-optional-property-removed', at, `removed the optional property ${name} from the ${where}`)];
}
