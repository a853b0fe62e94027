import type { JsonObject, Segment } from '../../document/json-node';
import type { Located } from '../../document/located';
import { descendSchema, viewSchema, type SchemaStep, type SchemaView } from '../../document/schema-view';
import type { ContractSide } from '../diff-context';

export type SchemaDirection = 'request' | 'response' | 'parameter';

/** What a schema describes, which decides the rule id family (`request-body-*`, `response-property-*`, ...). */
export type SchemaSubject = 'parameter' | 'request-body' | 'request-property' | 'response-body' | 'response-property';

export interface SchemaRoot {
  operation: string;
  schema: Located;
}

/** A request body, response or parameter schema whose insides changed. */
export interface SchemaSite {
  direction: SchemaDirection;
  /** Names the site in group keys. */
  key: string;
  rootIn(side: ContractSide): SchemaRoot | undefined;
  /** Words for the schema `steps` lead to, e.g. `response property "items/id" for status 200`. */
  describe(steps: readonly SchemaStep[]): string;
}

export function subjectOf(direction: SchemaDirection, steps: readonly SchemaStep[]): SchemaSubject {
  if (direction === 'parameter') return 'parameter';
  return `${direction}-${steps.length === 0 ? 'body' : 'property'}`;
}

/** Splits a path inside a schema into the nested schema it reaches and the keyword that changed there. */
export function parseSchemaPath(segments: readonly Segment[]): { steps: SchemaStep[]; keyword: Segment[] } {
  const steps: SchemaStep[] = [];
  let index = 0;
  while (index < segments.length) {
    const [segment, next] = [segments[index], segments[index + 1]];
    if (segment === 'properties' && typeof next === 'string') {
      steps.push({ kind: 'property', name: next });
      index += 2;
    } else if (segment === 'items') {
      steps.push({ kind: 'items' });
      index += 1;
    } else if (segment === 'allOf' && typeof next === 'number') {
      // Branches of an `allOf` are one schema to a client; the views merge them again.
      index += 2;
    } else if ((segment === 'oneOf' || segment === 'anyOf') && typeof next === 'number') {
      steps.push({ kind: 'combinator', keyword: segment, index: next });
      index += 2;
    } else break;
  }
  return { steps, keyword: segments.slice(index) };
}

export interface SchemaNode {
  operation: string;
  view: SchemaView;
}

export function schemaNodeIn(site: SchemaSite, side: ContractSide, steps: readonly SchemaStep[]): SchemaNode | undefined {
  const root = site.rootIn(side);
  const declared = root && descendSchema(side.document, root.schema, steps);
  const view = declared && viewSchema(side.document, declared);
  return root && view ? { operation: root.operation, view } : undefined;
}

export function keywordValue(view: SchemaView | undefined, keyword: string): unknown {
  return view?.keywords.get(keyword)?.value;
}

export function isFlagSet(document: JsonObject, located: Located | undefined, flag: 'readOnly' | 'writeOnly'): boolean {
  const view = located && viewSchema(document, located);
  return keywordValue(view, flag) === true;
}
