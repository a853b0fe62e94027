import type { Segment } from '../../document/json-node';
import { childOf } from '../../document/located';
import { locateMediaType, locateRequestBody } from '../../document/locate-content';
import { locateOperation } from '../../document/locate-operation';
import { propertyPath } from '../../document/schema-view';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractSide, DiffContext, StructuralDiff } from '../diff-context';
import { schemaChanges } from './schema-rules';
import type { SchemaSite } from './schema-site';

export interface RequestBodySite {
  template: string;
  method: string;
  /** The path below `requestBody`. */
  rest: Segment[];
}

export function requestBodyChanges(site: RequestBodySite, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const [head, mediaType, area, ...schemaPath] = site.rest;
  if (head === undefined) return bodyExistenceChanges(site, diff, context);
  if (head === 'required') return context.firstTime(`body-required|${site.template}|${site.method}`) ? requirednessChanges(site, context) : [];
  if (head !== 'content' || typeof mediaType !== 'string') return [];
  if (area === undefined) return mediaTypeChanges(site, mediaType, diff, context);
  if (area === 'schema') return schemaChanges(requestSchemaSite(site, mediaType), schemaPath, diff, context);
  return [];
}

function bodyIn(side: ContractSide, site: RequestBodySite) {
  const operation = locateOperation(side.document, site.template, site.method);
  const body = operation && locateRequestBody(side.document, operation);
  return operation && body ? { operation, body, required: (body.value as { required?: unknown }).required === true } : undefined;
}

function bodyExistenceChanges(site: RequestBodySite, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  if (diff.action === 'add') {
    const added = bodyIn(context.to, site);
    if (!added) return [];
    const at = { operation: added.operation.name, pointer: added.body.pointer };
    return added.required
      ? [contractChange('request-body-added-required', at, 'added required request body')]
      : [contractChange('request-body-added-optional', at, 'added optional request body')];
  }
  if (diff.action !== 'remove') return [];
  const removed = bodyIn(context.from, site);
  return removed ? [contractChange('request-body-removed', { operation: removed.operation.name, pointer: removed.body.pointer }, 'removed the request body')] : [];
}

function requirednessChanges(site: RequestBodySite, context: DiffContext): ContractChange[] {
  const before = bodyIn(context.from, site);
  const after = bodyIn(context.to, site);
  if (!before || !after || before.required === after.required) return [];
  const at = { operation: after.operation.name, pointer: childOf(after.body, 'required')?.pointer ?? after.body.pointer };
  return after.required
    ? [contractChange('request-body-became-required', at, 'request body became required')]
    : [contractChange('request-body-became-optional', at, 'request body became optional')];
}

function mediaTypeChanges(site: RequestBodySite, mediaType: string, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const side = diff.action === 'add' ? context.to : diff.action === 'remove' ? context.from : undefined;
  const found = side && bodyIn(side, site);
  const declared = found && locateMediaType(found.body, mediaType);
  if (!found || !declared) return [];
  const at = { operation: found.operation.name, pointer: declared.pointer };
  return diff.action === 'add'
    ? [contractChange('request-body-media-type-added', at, `added the media type ${mediaType} to the request body`)]
    : [contractChange('request-body-media-type-removed', at, `removed the media type ${mediaType} from the request body`)];
}

function requestSchemaSite(site: RequestBodySite, mediaType: string): SchemaSite {
  return {
    direction: 'request',
    key: `request|${site.template}|${site.method}|${mediaType}`,
    rootIn(side) {
      const found = bodyIn(side, site);
      const content = found && locateMediaType(found.body, mediaType);
      const schema = content && childOf(content, 'schema');
      return found && schema ? { operation: found.operation.name, schema } : undefined;
    },
    describe: (steps) => (steps.length === 0 ? `request body (${mediaType})` : `request property "${propertyPath(steps)}"`),
  };
}
