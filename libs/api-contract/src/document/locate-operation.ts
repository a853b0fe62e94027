import { asArray, isJsonObject, type JsonObject } from './json-node';
import { childOf, keyIgnoringCase, resolveRef, type Located } from './located';

export interface OperationLocation {
  /** The path key as written in this document, e.g. `/orders/{orderId}`. */
  template: string;
  method: string;
  pathItem: Located;
  operation: Located;
  /** `POST /orders/{orderId}` */
  name: string;
}

export interface ParameterLocation extends Located {
  name: string;
  in: string;
  /** Declared on the path item and shared by its operations. */
  shared: boolean;
}

/** Path templates that differ only in parameter names are the same path to a client. */
export function sameTemplate(left: string, right: string): boolean {
  return left.replace(/\{[^}]*\}/g, '{}') === right.replace(/\{[^}]*\}/g, '{}');
}

export function findPathKey(document: JsonObject, template: string): string | undefined {
  const paths = document.paths;
  if (!isJsonObject(paths)) return undefined;
  if (Object.prototype.hasOwnProperty.call(paths, template)) return template;
  return Object.keys(paths).find((key) => sameTemplate(key, template));
}

export function locateOperation(document: JsonObject, template: string, method: string): OperationLocation | undefined {
  const key = findPathKey(document, template);
  if (key === undefined) return undefined;
  const pathItem = resolveRef(document, { pointer: ['paths', key], value: (document.paths as JsonObject)[key] });
  const methodKey = pathItem && keyIgnoringCase(pathItem.value, method);
  const operation = pathItem && methodKey !== undefined ? childOf(pathItem, methodKey) : undefined;
  if (!pathItem || !operation || !isJsonObject(operation.value)) return undefined;
  return { template: key, method: method.toLowerCase(), pathItem, operation, name: `${method.toUpperCase()} ${key}` };
}

/**
 * The operation's own parameters, then the path item's: the order api-smart-diff uses when it
 * folds shared parameters into each operation, so its array indexes line up with this list.
 */
export function operationParameters(document: JsonObject, operation: OperationLocation): ParameterLocation[] {
  const declared = (owner: Located, shared: boolean): ParameterLocation[] =>
    (asArray((owner.value as JsonObject).parameters) ?? []).flatMap((raw, index) => {
      const parameter = resolveRef(document, { pointer: [...owner.pointer, 'parameters', index], value: raw });
      if (!parameter || !isJsonObject(parameter.value)) return [];
      const { name, in: location } = parameter.value;
      return typeof name === 'string' && typeof location === 'string' ? [{ ...parameter, name, in: location, shared }] : [];
    });
  return [...declared(operation.operation, false), ...declared(operation.pathItem, true)];
}

export function findParameter(
  document: JsonObject,
  operation: OperationLocation,
  identity: { name: string; in: string },
): ParameterLocation | undefined {
  return operationParameters(document, operation).find(
    (parameter) => parameter.in === identity.in && (parameter.in === 'header' ? parameter.name.toLowerCase() === identity.name.toLowerCase() : parameter.name === identity.name),
  );
}
