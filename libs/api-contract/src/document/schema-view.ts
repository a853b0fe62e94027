import { toJsonPointer } from './json-pointer';
import { asArray, isJsonObject, type JsonObject, type Segment } from './json-node';
import { childOf, resolveRef, type Located } from './located';

/** One step from a schema into a nested schema. */
export type SchemaStep =
  | { kind: 'property'; name: string }
  | { kind: 'items' }
  | { kind: 'combinator'; keyword: 'oneOf' | 'anyOf'; index: number };

/** How oasdiff names a nested property: `address/street`, `items/id`. */
export function propertyPath(steps: readonly SchemaStep[]): string {
  return steps.map((step) => (step.kind === 'property' ? step.name : step.kind === 'items' ? 'items' : `${step.keyword}[${step.index}]`)).join('/');
}

/** The schema reached by `steps` from `root`, as declared (a `$ref` is not followed at the last step). */
export function descendSchema(document: JsonObject, root: Located, steps: readonly SchemaStep[]): Located | undefined {
  let current: Located | undefined = root;
  for (const step of steps) {
    current = current && stepInto(document, current, step, new Set());
  }
  return current;
}

function stepInto(document: JsonObject, located: Located, step: SchemaStep, visited: Set<string>): Located | undefined {
  const node = resolveRef(document, located);
  if (!node || !isJsonObject(node.value) || !enter(visited, node)) return undefined;
  const direct =
    step.kind === 'property'
      ? childOf(node, 'properties') && childOf(childOf(node, 'properties') as Located, step.name)
      : step.kind === 'items'
        ? childOf(node, 'items')
        : childOf(node, step.keyword) && childOf(childOf(node, step.keyword) as Located, step.index);
  if (direct) return direct;
  // api-smart-diff merges `allOf` branches before comparing, so its paths step over them.
  for (const branch of allOfBranches(node)) {
    const found = stepInto(document, branch, step, visited);
    if (found) return found;
  }
  return undefined;
}

/** A schema as api-smart-diff compares it: its own keywords first, then those of its `allOf` branches. */
export interface SchemaView {
  node: Located;
  properties: Map<string, Located>;
  /** Required property name → pointer to its entry in a `required` array. */
  required: Map<string, Segment[]>;
  keywords: Map<string, Located>;
}

export function viewSchema(document: JsonObject, located: Located): SchemaView | undefined {
  const node = resolveRef(document, located);
  if (!node || !isJsonObject(node.value)) return undefined;
  const view: SchemaView = { node, properties: new Map(), required: new Map(), keywords: new Map() };
  collect(document, node, view, new Set());
  return view;
}

function collect(document: JsonObject, node: Located, view: SchemaView, visited: Set<string>): void {
  if (!enter(visited, node)) return;
  const schema = node.value as JsonObject;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!view.keywords.has(keyword)) view.keywords.set(keyword, { pointer: [...node.pointer, keyword], value });
  }
  if (isJsonObject(schema.properties)) {
    for (const [name, value] of Object.entries(schema.properties)) {
      if (!view.properties.has(name)) view.properties.set(name, { pointer: [...node.pointer, 'properties', name], value });
    }
  }
  (asArray(schema.required) ?? []).forEach((name, index) => {
    if (typeof name === 'string' && !view.required.has(name)) view.required.set(name, [...node.pointer, 'required', index]);
  });
  for (const branch of allOfBranches(node)) {
    const resolved = resolveRef(document, branch);
    if (resolved && isJsonObject(resolved.value)) collect(document, resolved, view, visited);
  }
}

function allOfBranches(node: Located): Located[] {
  return (asArray((node.value as JsonObject).allOf) ?? []).map((value, index) => ({ pointer: [...node.pointer, 'allOf', index], value }));
}

function enter(visited: Set<string>, node: Located): boolean {
  const key = toJsonPointer(node.pointer);
  if (visited.has(key)) return false;
  visited.add(key);
  return true;
}
