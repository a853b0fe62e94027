import { identifierValue, SqlLexError, tokenizeSql } from './sql-lexer';

const kinds = (sql: string) => tokenizeSql(sql).filter((token) => token.kind !== 'space').map((token) => [token.kind, token.text]);

describe('tokenizeSql', () => {
  it('keeps quoted text whole, whatever it contains', () => {
    expect(kinds(`'a;b''c' "x;""y" $t$ ; $t$ E'\\'; ' /* a /* nested */ ; */ -- ;`)).toEqual([
      ['string', `'a;b''c'`],
      ['quoted_ident', `"x;""y"`],
      ['dollar_string', '$t$ ; $t$'],
      ['string', `E'\\'; '`],
      ['comment', '/* a /* nested */ ; */'],
      ['comment', '-- ;'],
    ]);
  });

  it('splits operators, casts, numbers and identifiers', () => {
    expect(kinds('a::text>=1.5e3')).toEqual([
      ['ident', 'a'],
      ['punct', '::'],
      ['ident', 'text'],
      ['punct', '>'],
      ['punct', '='],
      ['number', '1.5e3'],
    ]);
  });

  it('refuses unterminated quotes and comments', () => {
    for (const text of [`'open`, `"open`, '$q$ open', '/* open']) expect(() => tokenizeSql(text)).toThrow(SqlLexError);
  });

  it('folds unquoted identifiers like Postgres and keeps quoted ones exact', () => {
    const [unquoted, , quoted] = tokenizeSql('Rating "Rating"');
    expect(identifierValue(unquoted)).toBe('rating');
    expect(identifierValue(quoted)).toBe('Rating');
  });
});
