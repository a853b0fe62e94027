import { sqlFragmentProblem } from '../../format/sql-text';
import { tokenizeSql } from './sql-lexer';

/**
 * True when a default is a literal (`0`, `'x'`, `'x'::text`, `true`, `NULL`, `-1.5`): such a
 * default can go into `ADD COLUMN ... DEFAULT` without rewriting the table (Postgres 11+ stores
 * it in the catalog). Anything else might be volatile (`now()`, `nextval(...)`), which would
 * rewrite every row under an ACCESS EXCLUSIVE lock, so it is set for new rows only and existing
 * rows are backfilled instead.
 */
export function isLiteralDefault(expression: string): boolean {
  if (sqlFragmentProblem(expression) !== null) return false;
  const tokens = tokenizeSql(expression).filter((token) => token.kind !== 'space' && token.kind !== 'comment');
  let afterCast = false;
  for (const token of tokens) {
    if (token.kind === 'string' || token.kind === 'number') {
      afterCast = false;
      continue;
    }
    if (token.kind === 'punct' && ['::', '-', '+', '(', ')', ',', '[', ']'].includes(token.text)) {
      afterCast = token.text === '::' || (afterCast && token.text !== ')');
      continue;
    }
    if (token.kind === 'ident' || token.kind === 'quoted_ident') {
      const word = token.text.toLowerCase();
      // A type name after `::` (possibly several words: `character varying`) or a literal keyword.
      if (afterCast || ['true', 'false', 'null'].includes(word)) continue;
      return false;
    }
    return false;
  }
  return tokens.length > 0;
}
