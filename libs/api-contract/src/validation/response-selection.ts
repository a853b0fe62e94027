import { asJsonObject, type JsonObject } from '../document/json-node';
import { childOf, keyIgnoringCase, resolveRef, type Located } from '../document/located';
import type { OperationLocation } from '../document/locate-operation';

export interface SelectedResponse {
  /** The key it is documented under: `200`, `2XX`, `default`. */
  key: string;
  response: Located;
}

/** OpenAPI's order: the exact status, then its range (`2XX`), then `default`. */
export function selectResponse(document: JsonObject, operation: OperationLocation, status: number): SelectedResponse | undefined {
  const responses = childOf(operation.operation, 'responses');
  if (!responses) return undefined;
  for (const candidate of [String(status), `${Math.floor(status / 100)}XX`, 'default']) {
    const key = keyIgnoringCase(responses.value, candidate);
    const declared = key === undefined ? undefined : childOf(responses, key);
    const response = declared && resolveRef(document, declared);
    if (key !== undefined && response) return { key, response };
  }
  return undefined;
}

export function documentedMediaTypes(response: Located): string[] {
  return Object.keys(asJsonObject(childOf(response, 'content')?.value) ?? {});
}

/** The media type entry for a `Content-Type` header: exact, then `type/*`, then `*\/*`. */
export function selectMediaType(response: Located, contentType: string): Located | undefined {
  const content = childOf(response, 'content');
  const essence = mediaTypeEssence(contentType);
  for (const candidate of [essence, `${essence.split('/')[0]}/*`, '*/*']) {
    const key = content && keyIgnoringCase(content.value, candidate);
    if (content && key !== undefined) return childOf(content, key);
  }
  return undefined;
}

export function mediaTypeEssence(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

export function isJsonMediaType(contentType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json$/.test(mediaTypeEssence(contentType));
}
