import type { Segment } from '../../document/json-node';
import { childOf, resolveRef } from '../../document/located';
import { findParameter, locateOperation, operationParameters, type ParameterLocation } from '../../document/locate-operation';
import { contractChange, type ContractChange } from '../contract-change';
import type { ContractSide, DiffContext, StructuralDiff } from '../diff-context';
import { retirementOf } from './retirement';
import { schemaChanges } from './schema-rules';
import type { SchemaSite } from './schema-site';

export interface ParameterSite {
  template: string;
  method: string;
  /** Index into the operation's parameters followed by the path item's, as api-smart-diff merges them. */
  index: number;
  rest: Segment[];
}

interface ParameterIdentity {
  name: string;
  in: string;
}

export function parameterChanges(site: ParameterSite, diff: StructuralDiff, context: DiffContext): ContractChange[] {
  const [head, ...rest] = site.rest;
  if (head === undefined) {
    if (diff.action === 'add') return addedParameter(site, diff.after, context);
    if (diff.action === 'remove') return removedParameter(site, diff.before, context);
    return [];
  }
  const running = locateOperation(context.from.document, site.template, site.method);
  const identity = running && operationParameters(context.from.document, running)[site.index];
  if (!identity) return [];
  if (head === 'required' && identity.in !== 'path') return requirednessChanges(site, identity, context);
  if (head === 'schema') return schemaChanges(parameterSchemaSite(site, identity), rest, diff, context);
  return [];
}

function locateParameter(side: ContractSide, site: ParameterSite, identity: ParameterIdentity) {
  const operation = locateOperation(side.document, site.template, site.method);
  const parameter = operation && findParameter(side.document, operation, identity);
  return operation && parameter ? { operation, parameter } : undefined;
}

function identityOf(side: ContractSide, raw: unknown): ParameterIdentity | undefined {
  const parameter = resolveRef(side.document, { pointer: [], value: raw })?.value as Partial<ParameterLocation> | undefined;
  return typeof parameter?.name === 'string' && typeof parameter.in === 'string' ? { name: parameter.name, in: parameter.in } : undefined;
}

function addedParameter(site: ParameterSite, raw: unknown, context: DiffContext): ContractChange[] {
  const identity = identityOf(context.to, raw);
  const found = identity && locateParameter(context.to, site, identity);
  if (!identity || !found) return [];
  // Already one of the operation's parameters: re-declared on the operation over the path item's,
  // or a header re-cased. api-smart-diff lists it as new; it is the same parameter, compared as one.
  if (locateParameter(context.from, site, identity)) return redeclaredParameter(site, identity, context);
  const { operation, parameter } = found;
  const at = { operation: operation.name, pointer: parameter.pointer };
  const label = `${identity.in} request parameter "${identity.name}"`;
  if (identity.in === 'path') return [contractChange('new-request-path-parameter', at, `added the new path request parameter "${identity.name}"`)];
  const required = (parameter.value as { required?: unknown }).required === true;
  if (parameter.shared) {
    return required
      ? [contractChange('new-required-request-default-parameter-to-existing-path', at, `added the new required ${label} to all the path's operations`)]
      : [contractChange('new-optional-request-default-parameter-to-existing-path', at, `added the new optional ${label} to all the path's operations`)];
  }
  return required
    ? [contractChange('new-required-request-parameter', at, `added the new required ${label}`)]
    : [contractChange('new-optional-request-parameter', at, `added the new optional ${label}`)];
}

function removedParameter(site: ParameterSite, raw: unknown, context: DiffContext): ContractChange[] {
  const identity = identityOf(context.from, raw);
  const found = identity && locateParameter(context.from, site, identity);
  // A path parameter disappears only with its path template, which the endpoint rules report; one
  // the operation still has (from its path item, or a header re-cased) has not gone.
  if (!identity || !found || identity.in === 'path' || locateParameter(context.to, site, identity)) return [];
  const at = { operation: found.operation.name, pointer: found.parameter.pointer };
  const label = `${identity.in} request parameter "${identity.name}"`;
  const retirement = retirementOf(found.parameter.value, context.now);
  switch (retirement.stage) {
    case 'active':
      return [contractChange('request-parameter-removed', at, `deleted the ${label}`)];
    case 'deprecated':
      return [contractChange('request-parameter-removed-with-deprecation', at, `deleted the ${label} with deprecation`)];
    case 'before-sunset':
      return [contractChange('request-parameter-removed-before-sunset', at, `deleted the ${label} before the sunset date ${retirement.sunset}`)];
    case 'unreadable-sunset':
      return [contractChange('request-parameter-sunset-parse', at, `failed to parse the sunset date ${JSON.stringify(retirement.sunset)} of the ${label}`)];
    case 'past-sunset':
      return [];
  }
}

function redeclaredParameter(site: ParameterSite, identity: ParameterIdentity, context: DiffContext): ContractChange[] {
  const schema = parameterSchemaSite(site, identity);
  // The type and enum rules compare the whole schema of both declarations, whichever keyword is named.
  const compare = (keyword: string) => schemaChanges(schema, [keyword], { action: 'replace', path: [] }, context);
  return [...(identity.in === 'path' ? [] : requirednessChanges(site, identity, context)), ...compare('type'), ...compare('enum')];
}

// Header names are case-insensitive: `X-Tenant` and `x-tenant` are one parameter, and one group.
function keyOf(identity: ParameterIdentity): string {
  return `${identity.in}|${identity.in === 'header' ? identity.name.toLowerCase() : identity.name}`;
}

function requirednessChanges(site: ParameterSite, identity: ParameterIdentity, context: DiffContext): ContractChange[] {
  if (!context.firstTime(`parameter-required|${site.template}|${site.method}|${keyOf(identity)}`)) return [];
  const before = locateParameter(context.from, site, identity);
  const after = locateParameter(context.to, site, identity);
  if (!before || !after) return [];
  const wasRequired = (before.parameter.value as { required?: unknown }).required === true;
  const isRequired = (after.parameter.value as { required?: unknown }).required === true;
  if (wasRequired === isRequired) return [];
  const at = { operation: after.operation.name, pointer: childOf(after.parameter, 'required')?.pointer ?? after.parameter.pointer };
  const label = `${identity.in} request parameter "${identity.name}"`;
  return isRequired
    ? [contractChange('request-parameter-became-required', at, `the ${label} became required`)]
    : [contractChange('request-parameter-became-optional', at, `the ${label} became optional`)];
}

function parameterSchemaSite(site: ParameterSite, identity: ParameterIdentity): SchemaSite {
  return {
    direction: 'parameter',
    key: `parameter|${site.template}|${site.method}|${keyOf(identity)}`,
    rootIn(side) {
      const found = locateParameter(side, site, identity);
      const schema = found && childOf(found.parameter, 'schema');
      return found && schema ? { operation: found.operation.name, schema } : undefined;
    },
    describe: () => `${identity.in} request parameter "${identity.name}"`,
  };
}
