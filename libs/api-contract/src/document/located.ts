import { isJsonObject, valueAt, type JsonObject, type Segment } from './json-node';
import { parseJsonPointer } from './json-pointer';

/** A value and where it sits in its document. */
export interface Located {
  pointer: Segment[];
  value: unknown;
}

export function childOf(parent: Located, key: Segment): Located | undefined {
  const value = valueAt(parent.value, [key]);
  return value === undefined ? undefined : { pointer: [...parent.pointer, key], value };
}

/**
 * Follows local `$ref`s to their target, so a pointer names the place a value is written (a
 * component) rather than the place it is used. Documents are bundled before they get here, so a
 * `$ref` that is not local, or that loops, has no answer.
 */
export function resolveRef(document: JsonObject, located: Located): Located | undefined {
  let current = located;
  const followed = new Set<string>();
  while (isJsonObject(current.value) && typeof current.value.$ref === 'string') {
    const ref = current.value.$ref;
    if (!ref.startsWith('#') || followed.has(ref)) return undefined;
    followed.add(ref);
    const pointer = parseJsonPointer(decodeURIComponent(ref.slice(1)));
    const value = valueAt(document, pointer);
    if (value === undefined) return undefined;
    current = { pointer, value };
  }
  return current;
}

/** A key of `container` equal to `key`, ignoring case (status ranges `2XX`/`2xx`, media types). */
export function keyIgnoringCase(container: unknown, key: string): string | undefined {
  if (!isJsonObject(container)) return undefined;
  if (Object.prototype.hasOwnProperty.call(container, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(container).find((candidate) => candidate.toLowerCase() === lower);
}
