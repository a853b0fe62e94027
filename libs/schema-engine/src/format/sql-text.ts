import { z } from 'zod';

/**
 * A cheap lexical guard for the SQL fragments a migration file carries (types, defaults, check
 * expressions, predicates, storage parameters). Fragments are spliced into statements we build,
 * so a fragment must never be able to end our statement and start another one: we refuse NUL
 * bytes, `;` outside quotes, comments (a `--` would swallow the rest of our statement), and
 * unbalanced quotes, parentheses or brackets. The Postgres parser (`sql-parser.ts`) then checks
 * that the fragment really is a type or an expression.
 *
 * Assumes `standard_conforming_strings = on` (the default since Postgres 9.1): backslashes escape
 * only inside `E'...'` strings.
 */
export function sqlFragmentProblem(text: string): string | null {
  if (text.trim().length === 0) return 'must not be empty';
  if (text.includes('\0')) return 'must not contain a NUL byte';
  const closers: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === "'") {
      const end = endOfString(text, i, isEscapeStringPrefix(text, i));
      if (end < 0) return 'has an unterminated string literal';
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      const end = endOfQuoted(text, i, '"');
      if (end < 0) return 'has an unterminated quoted identifier';
      i = end + 1;
      continue;
    }
    if (ch === '$') {
      const tag = dollarQuoteTag(text, i);
      if (tag !== null) {
        const end = text.indexOf(tag, i + tag.length);
        if (end < 0) return 'has an unterminated dollar-quoted string';
        i = end + tag.length;
        continue;
      }
    }
    if ((ch === '-' && next === '-') || (ch === '/' && next === '*')) return 'must not contain SQL comments';
    if (ch === ';') return 'must not contain ";" (one fragment cannot hold several statements)';
    if (ch === '(') closers.push(')');
    else if (ch === '[') closers.push(']');
    else if (ch === ')' || ch === ']') {
      if (closers.pop() !== ch) return `has an unbalanced "${ch}"`;
    }
    i += 1;
  }
  if (closers.length > 0) return `has an unclosed "${closers[closers.length - 1] === ')' ? '(' : '['}"`;
  return null;
}

/** Index of the closing quote of the literal opening at `start`, or -1. */
function endOfString(text: string, start: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === "'") {
      if (text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i;
    }
    i += 1;
  }
  return -1;
}

function endOfQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i += 1;
  }
  return -1;
}

const IDENTIFIER_CHAR = /[\p{L}\p{N}_$]/u;

/** `E'...'` (or `e'...'`) where the `E` is a token of its own, not the end of a longer word. */
function isEscapeStringPrefix(text: string, quoteAt: number): boolean {
  const prefix = text[quoteAt - 1];
  if (prefix !== 'E' && prefix !== 'e') return false;
  const before = text[quoteAt - 2];
  return before === undefined || !IDENTIFIER_CHAR.test(before);
}

/** The `$tag$` opening a dollar-quoted string at `at`, or null (e.g. `$1` parameters, `a$b`). */
function dollarQuoteTag(text: string, at: number): string | null {
  const before = text[at - 1];
  if (before !== undefined && IDENTIFIER_CHAR.test(before)) return null;
  const match = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(at));
  return match ? match[0] : null;
}

/** A zod string holding an SQL fragment that passed the lexical guard. */
export const SqlFragment = z.string().superRefine((text, ctx) => {
  const problem = sqlFragmentProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: `SQL text ${problem}` });
});
