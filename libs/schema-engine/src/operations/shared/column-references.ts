import { quoteIdent } from '../../sql/identifiers';
import { identifierValue, tokenizeSql, type SqlToken } from './sql-lexer';

function isCode(token: SqlToken): boolean {
  return token.kind !== 'space' && token.kind !== 'comment';
}

/**
 * Rewrites the column references of an SQL fragment through `renames` (old name → new name),
 * e.g. `CHECK ((length(name) > 3))` with name → _bascule_new_name. A token is a column
 * reference when it is an identifier that is not qualified (`x.name`), not a function name
 * (`name(`), not a qualifier itself (`name.x`) and not a type after `::`. Only tokens from
 * `[fromToken, toToken)` are considered (an index definition keeps its table name, a foreign
 * key its referenced columns).
 */
export function renameColumnReferences(
  sql: string,
  renames: ReadonlyMap<string, string>,
  range: { fromToken?: number; toToken?: number } = {},
): string {
  const fromToken = range.fromToken ?? 0;
  const toToken = range.toToken ?? Number.POSITIVE_INFINITY;
  const tokens = tokenizeSql(sql);
  const previousCode = (index: number): SqlToken | undefined => tokens.slice(0, index).reverse().find(isCode);
  const nextCode = (index: number): SqlToken | undefined => tokens.slice(index + 1).find(isCode);
  return tokens
    .map((token, index) => {
      if (index < fromToken || index >= toToken) return token.text;
      const name = identifierValue(token);
      if (name === null) return token.text;
      // identifierValue folds unquoted names to lower case, as Postgres does; quoted ones match exactly.
      const target = renames.get(name);
      if (target === undefined) return token.text;
      const before = previousCode(index);
      const after = nextCode(index);
      if (before && (before.text === '.' || before.text === '::')) return token.text;
      if (after && (after.text === '(' || after.text === '.')) return token.text;
      return quoteIdent(target);
    })
    .join('');
}

/** Index of the token of the first unquoted keyword `word` (case-insensitive), or -1. */
export function keywordTokenIndex(sql: string, word: string): number {
  return tokenizeSql(sql).findIndex((token) => token.kind === 'ident' && token.text.toLowerCase() === word);
}

/** Removes a trailing `NOT VALID` that `pg_get_constraintdef` prints for unvalidated constraints. */
export function withoutNotValid(definition: string): string {
  return definition.replace(/\s+NOT\s+VALID\s*$/i, '');
}
