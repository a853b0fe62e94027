import { quoteIdent } from '../../sql/identifiers';
import { renameColumnReferences } from './column-references';
import { tokenizeSql } from './sql-lexer';

/**
 * Turns a `pg_get_indexdef` text (`CREATE UNIQUE INDEX name ON public.t USING btree (a, b) WHERE a > 0`)
 * into the statement that builds the same index, under `name`, on the renamed columns,
 * `CONCURRENTLY` (no write lock) and `IF NOT EXISTS` (the executor may retry it; an INVALID
 * leftover is dropped by the rollback path).
 */
export function copyIndexSql(definition: string, name: string, renames: ReadonlyMap<string, string>): string {
  const tokens = tokenizeSql(definition);
  const indexAt = tokens.findIndex((token) => token.kind === 'ident' && token.text.toLowerCase() === 'index');
  const usingAt = tokens.findIndex((token) => token.kind === 'ident' && token.text.toLowerCase() === 'using');
  if (indexAt === -1 || usingAt === -1) throw new Error(`unexpected index definition: ${definition}`);
  const nameAt = tokens.findIndex((token, index) => index > indexAt && token.kind !== 'space');
  const rewritten = renameColumnReferences(definition, renames, { fromToken: usingAt + 1 });
  const rewrittenTokens = tokenizeSql(rewritten);
  return rewrittenTokens
    .map((token, index) => {
      if (index === indexAt) return `${token.text} CONCURRENTLY IF NOT EXISTS`;
      if (index === nameAt) return quoteIdent(name);
      return token.text;
    })
    .join('');
}
