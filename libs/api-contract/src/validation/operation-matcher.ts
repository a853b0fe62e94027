import { asArray, isJsonObject, type JsonObject } from '../document/json-node';
import { locateOperation, type OperationLocation } from '../document/locate-operation';

export type OperationMatch = { operation: OperationLocation } | { problem: string };

interface PathTemplate {
  template: string;
  pattern: RegExp;
  literalSegments: number;
}

/**
 * Finds the documented operation for a concrete request (`GET /v1/orders/42?x=1`): the servers'
 * base path is stripped, then concrete path templates win over templated ones, as OpenAPI asks.
 */
export function createOperationMatcher(document: JsonObject): (method: string, url: string) => OperationMatch {
  const basePaths = serverBasePaths(document);
  const templates = Object.keys(isJsonObject(document.paths) ? document.paths : {})
    .map(compileTemplate)
    .sort((left, right) => right.literalSegments - left.literalSegments);

  return (method, url) => {
    const requested = url.split(/[?#]/)[0] || '/';
    const path = stripBasePath(requested, basePaths);
    if (path === undefined) return { problem: `${requested} is outside the servers' base paths (${basePaths.join(', ')})` };
    const matching = templates.filter(({ pattern }) => pattern.test(path));
    if (matching.length === 0) return { problem: `no path in the document matches ${path}` };
    for (const { template } of matching) {
      const operation = locateOperation(document, template, method);
      if (operation) return { operation };
    }
    return { problem: `${method.toUpperCase()} is not documented for ${matching.map(({ template }) => template).join(', ')}` };
  };
}

function compileTemplate(template: string): PathTemplate {
  const segments = template.split('/');
  const pattern = segments
    .map((segment) => segment.split(/\{[^}]*\}/).map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+'))
    .join('/');
  return { template, pattern: new RegExp(`^${pattern}$`), literalSegments: segments.filter((segment) => !segment.includes('{')).length };
}

function serverBasePaths(document: JsonObject): string[] {
  const servers = asArray(document.servers) ?? [];
  const bases = servers.flatMap((server) => (isJsonObject(server) && typeof server.url === 'string' ? [basePathOf(server)] : []));
  const unique = [...new Set(bases.length > 0 ? bases : [''])];
  return unique.sort((left, right) => right.length - left.length);
}

function basePathOf(server: JsonObject): string {
  const variables = isJsonObject(server.variables) ? server.variables : {};
  const url = String(server.url).replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = variables[name];
    return isJsonObject(variable) && variable.default !== undefined ? String(variable.default) : '';
  });
  const pathname = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url.split(/[?#]/)[0];
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' || trimmed === '.' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function stripBasePath(path: string, basePaths: string[]): string | undefined {
  for (const base of basePaths) {
    if (base === '') return path;
    if (path === base) return '/';
    if (path.startsWith(`${base}/`)) return path.slice(base.length);
  }
  return undefined;
}
