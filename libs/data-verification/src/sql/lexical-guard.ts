/**
 * Finds what must never appear outside quoted text in an expression we splice into our own SQL: a
 * `;` (a second statement) or a comment (which could swallow the rest of our statement). Quotes
 * are tracked the way Postgres lexes them: '…' with '' escapes (and backslash escapes in E'…'), "…", and $tag$…$tag$.
 * Returns a description of the first offence, or undefined when the text is clean.
 */
export function findLexicalOffence(text: string): string | undefined {
  if (text.includes('\0')) return 'it contains a NUL byte';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    const next = text[i + 1];
    if (char === "'" || char === '"') {
      const end = closingQuote(text, i, char, char === "'" && isEscapeStringPrefix(text, i));
      if (end < 0) return `it has an unterminated ${char === "'" ? 'string literal' : 'quoted identifier'}`;
      i = end + 1;
    } else if (char === '$' && /[A-Za-z_$]/.test(next ?? '') && dollarTag(text, i)) {
      const tag = dollarTag(text, i) as string;
      const end = text.indexOf(tag, i + tag.length);
      if (end < 0) return 'it has an unterminated dollar-quoted string';
      i = end + tag.length;
    } else if (char === ';') {
      return `it contains ";" at offset ${i} outside quotes`;
    } else if ((char === '-' && next === '-') || (char === '/' && next === '*')) {
      return `it contains a comment at offset ${i}`;
    } else {
      i += 1;
    }
  }
  return undefined;
}

// E'…' strings take backslash escapes, so E'\'' is one quote inside a still open string.
function isEscapeStringPrefix(text: string, quoteAt: number): boolean {
  return /[Ee]/.test(text[quoteAt - 1] ?? '') && !/[A-Za-z0-9_$]/.test(text[quoteAt - 2] ?? '');
}

function closingQuote(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    if (backslashEscapes && text[i] === '\\') {
      i += 2;
      continue;
    }
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

function dollarTag(text: string, start: number): string | undefined {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(start));
  return match ? match[0] : undefined;
}
