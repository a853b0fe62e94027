import type { Segment } from '../../document/json-node';
import { childOf } from '../../document/located';
import { locateMediaType, locateResponse } from '../../document/locate-content';
import { locateOperation } from '../../document/locate-operation';
import { propertyPath } from '../../document/schema-view';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractSide, DiffContext, StructuralDiff } from '../diff-context';
import { schemaChanges } from './schema-rules';
import type { SchemaSite } from './schema-site';

export interface ResponseSite {
  template: string;
  method: string;
  /** As api-smart-diff keys it: `200`, `2xx` (ranges lower-cased), `default`. */
  status: string;
  /** The path below the response. */
  rest: Segment[];
}

export function responseChanges(site: ResponseSite, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const [head, mediaType, area, ...schemaPath] = site.rest;
  if (head === undefined) return statusChanges(site, diff, context);
  if (head !== 'content' || typeof mediaType !== 'string') return [];
  if (area === undefined) return mediaTypeChanges(site, mediaType, diff, context);
  if (area === 'schema') return schemaChanges(responseSchemaSite(site, mediaType), schemaPath, diff, context);
  return [];
}

function statusLabel(status: string): string {
  return /^\dxx$/i.test(status) ? status.toUpperCase() : status;
}

function responseIn(side: ContractSide, site: ResponseSite) {
  const operation = locateOperation(side.document, site.template, site.method);
  const response = operation && locateResponse(side.document, operation, site.status);
  return operation && response ? { operation, response } : undefined;
}

function statusChanges(site: ResponseSite, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const side = diff.action === 'add' ? context.to : diff.action === 'remove' ? context.from : undefined;
  const operation = side && locateOperation(side.document, site.template, site.method);
  const declared = operation && childOf(operation.operation, 'responses');
  const key = declared && Object.keys(declared.value as object).find((status) => status.toLowerCase() === site.status.toLowerCase());
  if (!operation || !declared || key === undefined) return [];
  const at = { operation: operation.name, pointer: [...declared.pointer, key] };
  const status = statusLabel(site.status);
  const success = status.startsWith('2');
  if (diff.action === 'add') {
    return success
      ? [contractChange('response-success-status-added', at, `added the success response with the status ${status}`)]
      : [contractChange('response-non-success-status-added', at, `added the non-success response with the status ${status}`)];
  }
  return success
    ? [contractChange('response-success-status-removed', at, `removed the success response with the status ${status}`)]
    : [contractChange('response-non-success-status-removed', at, `removed the non-success response with the status ${status}`)];
}

function mediaTypeChanges(site: ResponseSite, mediaType: string, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const side = diff.action === 'add' ? context.to : diff.action === 'remove' ? context.from : undefined;
  const found = side && responseIn(side, site);
  const declared = found && locateMediaType(found.response, mediaType);
  if (!found || !declared) return [];
  const at = { operation: found.operation.name, pointer: declared.pointer };
  const status = statusLabel(site.status);
  return diff.action === 'add'
    ? [contractChange('response-media-type-added', at, `added the media type ${mediaType} for the response with the status ${status}`)]
    : [contractChange('response-media-type-removed', at, `removed the media type ${mediaType} for the response with the status ${status}`)];
}

function responseSchemaSite(site: ResponseSite, mediaType: string): SchemaSite {
  const status = statusLabel(site.status);
  return {
    direction: 'response',
    key: `response|${site.template}|${site.method}|${site.status}|${mediaType}`,
    rootIn(side) {
      const found = responseIn(side, site);
      const content = found && locateMediaType(found.response, mediaType);
      const schema = content && childOf(content, 'schema');
      return found && schema ? { operation: found.operation.name, schema } : undefined;
    },
    describe: (steps) =>
      steps.length === 0 ? `response body (${mediaType}) for the status ${status}` : `response property "${propertyPath(steps)}" for the status ${status}`,
  };
}
