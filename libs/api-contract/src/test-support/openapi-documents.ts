import { tmpdir } from 'node:os';
import type { JsonObject } from '../document/json-node';
import { loadOpenApiDocument } from '../document/load-openapi-document';
import type { OpenApiContract } from '../document/openapi-contract';
import { diffContracts, type DiffContractsOptions } from '../diff/diff-contracts';
import type { ContractChange } from '../diff/contract-change';

export function openApi30(paths: JsonObject, extra: JsonObject = {}): JsonObject {
  return { openapi: '3.0.3', info: { title: 'shop', version: '1.0.0' }, paths, ...extra };
}

export function openApi31(paths: JsonObject, extra: JsonObject = {}): JsonObject {
  return { openapi: '3.1.0', info: { title: 'shop', version: '1.0.0' }, paths, ...extra };
}

export function jsonContent(schema: JsonObject): JsonObject {
  return { content: { 'application/json': { schema } } };
}

export function jsonResponse(schema: JsonObject, description = 'ok'): JsonObject {
  return { description, ...jsonContent(schema) };
}

export const noContent = { description: 'done' };

export function loadInline(document: JsonObject, label: string): Promise<OpenApiContract> {
  return loadOpenApiDocument(document, { baseDir: tmpdir(), label });
}

export async function diffDocuments(from: JsonObject, to: JsonObject, options?: DiffContractsOptions): Promise<ContractChange[]> {
  const [running, next] = await Promise.all([loadInline(from, 'from (v1)'), loadInline(to, 'to (v2)')]);
  return diffContracts(running, next, options);
}

/** The rule-relevant part of each change, for assertions that read like the report. */
export function brief(changes: ContractChange[]): Array<Pick<ContractChange, 'id' | 'level' | 'operation' | 'path'>> {
  return changes.map(({ id, level, operation, path }) => ({ id, level, ...(operation === undefined ? {} : { operation }), path }));
}
