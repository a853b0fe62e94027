/**
 * JSON with object keys sorted at every level, so the same value always hashes the same whether it
 * comes from the writer's object or from Postgres' jsonb (which reorders keys and drops duplicates).
 * Values are expected to be JSON already (what JSON.parse returns).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
