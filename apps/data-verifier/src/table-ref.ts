/** `schema.table`, or `table` meaning `public.table` (the contracts' TableName). */
export interface TableRef {
  schema: string;
  table: string;
}

export function parseTableRef(name: string): TableRef {
  const dot = name.indexOf('.');
  return dot === -1 ? { schema: 'public', table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

export function sameTable(a: string, b: string): boolean {
  const left = parseTableRef(a);
  const right = parseTableRef(b);
  return left.schema === right.schema && left.table === right.table;
}
