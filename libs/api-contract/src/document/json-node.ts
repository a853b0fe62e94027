/** A parsed JSON or YAML object: what OpenAPI documents are made of before anyone vouches for their shape. */
export type JsonObject = Record<string, unknown>;

export type Segment = string | number;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asJsonObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function valueAt(root: unknown, pointer: readonly Segment[]): unknown {
  let current = root;
  for (const segment of pointer) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isJsonObject(current) && Object.prototype.hasOwnProperty.call(current, String(segment))) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

/** JSON text with object keys sorted, so two values compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isJsonObject(inner) ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, inner[key]])) : inner,
  );
}
