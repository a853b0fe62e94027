/**
 * A small lexer for the SQL fragments a migration file carries (`up`, `down`, defaults, check
 * constraints, type names) and for the definitions Postgres prints (`pg_get_constraintdef`,
 * `pg_get_indexdef`). It knows exactly what can hide a `;` or a parenthesis — quoted strings,
 * quoted identifiers, dollar-quoted strings and comments — which is all we need to refuse a
 * fragment that would end the statement we embed it in, and to rename column references.
 */
export type SqlTokenKind = 'space' | 'comment' | 'string' | 'quoted_ident' | 'dollar_string' | 'ident' | 'number' | 'punct';

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
}

export class SqlLexError extends Error {
  readonly code = 'SQL_LEX_ERROR';
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  throw new SqlLexError(`unterminated ${quote === '"' ? 'quoted identifier' : 'string literal'}`);
}

function blockCommentEnd(sql: string, start: number): number {
  // Postgres block comments nest.
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  throw new SqlLexError('unterminated block comment');
}

/** Splits SQL text into tokens; throws `SqlLexError` on an unterminated string, identifier or comment. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /\s/.test(sql[end])) end += 1;
      push('space', end);
    } else if (ch === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      push('comment', newline === -1 ? sql.length : newline);
    } else if (ch === '/' && next === '*') {
      push('comment', blockCommentEnd(sql, i));
    } else if (ch === "'") {
      push('string', quotedEnd(sql, i, "'", false));
    } else if ((ch === 'E' || ch === 'e') && next === "'") {
      push('string', quotedEnd(sql, i + 1, "'", true));
    } else if (/[BbXxNn]/.test(ch) && next === "'") {
      push('string', quotedEnd(sql, i + 1, "'", false));
    } else if ((ch === 'U' || ch === 'u') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      const quote = sql[i + 2];
      push(quote === "'" ? 'string' : 'quoted_ident', quotedEnd(sql, i + 2, quote, false));
    } else if (ch === '"') {
      push('quoted_ident', quotedEnd(sql, i, '"', false));
    } else if (ch === '$' && DOLLAR_TAG.test(sql.slice(i))) {
      const [tag] = DOLLAR_TAG.exec(sql.slice(i)) ?? [''];
      const close = sql.indexOf(tag, i + tag.length);
      if (close === -1) throw new SqlLexError(`unterminated dollar-quoted string ${tag}`);
      push('dollar_string', close + tag.length);
    } else if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && IDENT_PART.test(sql[end])) end += 1;
      push('ident', end);
    } else if (/[0-9]/.test(ch) || (ch === '.' && next !== undefined && /[0-9]/.test(next))) {
      let end = i + 1;
      while (end < sql.length && /[0-9A-Za-z_.]/.test(sql[end])) end += 1;
      push('number', end);
    } else if (ch === ':' && next === ':') {
      push('punct', i + 2);
    } else {
      push('punct', i + 1);
    }
  }
  return tokens;
}

/** The name an identifier token stands for: unquoted names fold to lower case, quoted ones are exact. */
export function identifierValue(token: SqlToken): string | null {
  if (token.kind === 'ident') return token.text.toLowerCase();
  if (token.kind === 'quoted_ident' && token.text.startsWith('"')) return token.text.slice(1, -1).replace(/""/g, '"');
  return null;
}
