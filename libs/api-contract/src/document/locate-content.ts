import type { JsonObject } from './json-node';
import { childOf, keyIgnoringCase, resolveRef, type Located } from './located';
import type { OperationLocation } from './locate-operation';

export function locateRequestBody(document: JsonObject, operation: OperationLocation): Located | undefined {
  const body = childOf(operation.operation, 'requestBody');
  return body && resolveRef(document, body);
}

/** The response declared under exactly this key (`200`, `2XX` in any case, `default`). */
export function locateResponse(document: JsonObject, operation: OperationLocation, status: string): Located | undefined {
  const responses = childOf(operation.operation, 'responses');
  const key = responses && keyIgnoringCase(responses.value, status);
  const response = responses && key !== undefined ? childOf(responses, key) : undefined;
  return response && resolveRef(document, response);
}

/** `content[mediaType]` of a resolved request body or response. */
export function locateMediaType(owner: Located, mediaType: string): Located | undefined {
  const content = childOf(owner, 'content');
  const key = content && keyIgnoringCase(content.value, mediaType);
  return content && key !== undefined ? childOf(content, key) : undefined;
}
