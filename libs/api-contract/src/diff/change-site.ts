import type { Segment } from '../document/json-node';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface OperationKey {
  template: string;
  method: string;
}

/** Which part of a document a structural diff touches; everything the rules do not cover is `undefined`. */
export type ChangeSite =
  | ({ area: 'operation' } & OperationKey)
  | ({ area: 'parameter'; index: number; rest: Segment[] } & OperationKey)
  | ({ area: 'request-body'; rest: Segment[] } & OperationKey)
  | ({ area: 'response'; status: string; rest: Segment[] } & OperationKey)
  | ({ area: 'operation-security' } & OperationKey)
  | { area: 'global-security' };

export function siteOf(path: readonly Segment[]): ChangeSite | undefined {
  if (path[0] === 'security') return { area: 'global-security' };
  const [root, template, method, area, ...rest] = path;
  if (root !== 'paths' || typeof template !== 'string' || typeof method !== 'string' || !METHODS.has(method)) return undefined;
  const operation = { template, method };
  if (area === undefined) return { area: 'operation', ...operation };
  if (area === 'parameters' && typeof rest[0] === 'number') return { area: 'parameter', ...operation, index: rest[0], rest: rest.slice(1) };
  if (area === 'requestBody') return { area: 'request-body', ...operation, rest };
  if (area === 'responses' && rest.length > 0) return { area: 'response', ...operation, status: String(rest[0]), rest: rest.slice(1) };
  if (area === 'security') return { area: 'operation-security', ...operation };
  return undefined;
}
