import { findLexicalOffence } from './lexical-guard';

describe('findLexicalOffence', () => {
  it.each([
    'balance * 100',
    `concat(first_name, ';', last_name)`,
    `"odd;name" + 1`,
    `$$a;b$$ || $tag$x;--y$tag$`,
    `'it''s; fine'`,
    `E'\\'; still inside'`,
  ])('accepts %s', (text) => {
    expect(findLexicalOffence(text)).toBeUndefined();
  });

  it.each([
    ['1; DROP TABLE t', /";" at offset 1/],
    ['1 -- rest', /comment/],
    ['1 /* x */', /comment/],
    ["'open", /unterminated string/],
    ['"open', /unterminated quoted identifier/],
    ['$q$ open', /unterminated dollar/],
    ['a\0b', /NUL/],
    [`'a'';' ; 1`, /";" at offset 7/],
  ])('rejects %j', (text, reason) => {
    expect(findLexicalOffence(text)).toMatch(reason);
  });
});
