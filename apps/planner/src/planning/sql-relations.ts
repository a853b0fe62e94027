import { loadModule, parseSync } from 'libpg-query';
import { qualifiedTable } from './qualified-table';

/** Loads the WASM parser once; `sqlRelations` is synchronous after it. */
export const loadRelationParser = (): Promise<void> => loadModule();

/**
 * Every relation a piece of SQL names (RangeVar nodes of its parse tree), as `schema.table`.
 * Unparseable SQL names none: the linter reports the syntax error.
 */
export function sqlRelations(sql: string): string[] {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch {
    return [];
  }
  const found: Array<{ schema?: string; name: string }> = [];
  const cteNames = new Set<string>();
  walk(tree, (node) => {
    if (typeof node['ctename'] === 'string') cteNames.add(node['ctename']);
    // A RangeVar is wrapped (`{RangeVar: {...}}`) in lists and bare where the field's type is fixed (`UpdateStmt.relation`).
    if (typeof node['relname'] === 'string') {
      found.push({ schema: typeof node['schemaname'] === 'string' ? node['schemaname'] : undefined, name: node['relname'] });
    }
  });
  // CTE names are only known once the whole tree is walked (a WITH may sit after its uses in the tree).
  const tables = found.filter((relation) => relation.schema !== undefined || !cteNames.has(relation.name));
  return [...new Set(tables.map((relation) => (relation.schema ? `${relation.schema}.${relation.name}` : qualifiedTable(relation.name))))];
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  visit(value as Record<string, unknown>);
  for (const child of Object.values(value)) walk(child, visit);
}
