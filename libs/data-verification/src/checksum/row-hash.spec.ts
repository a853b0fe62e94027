import { InvalidIdentifierError } from '../errors/invalid-identifier.error';
import { canonicalRowText, rowHashSql } from './row-hash';

describe('row hash', () => {
  it('builds the canonical text from the given column order, not the table order', () => {
    expect(canonicalRowText(['b', 'a'])).toBe('ROW("b", "a")::text');
    expect(canonicalRowText(['a', 'b'])).not.toBe(canonicalRowText(['b', 'a']));
  });

  it('quotes hostile column names', () => {
    expect(canonicalRowText(['x"); DROP TABLE t; --'])).toBe('ROW("x""); DROP TABLE t; --")::text');
    expect(() => canonicalRowText(['a\0b'])).toThrow(InvalidIdentifierError);
  });

  it('takes 64 bits of md5, or hashtextextended', () => {
    expect(rowHashSql(['id'], 'md5')).toBe(`('x' || left(md5(ROW("id")::text), 16))::bit(64)::int8`);
    expect(rowHashSql(['id'], 'hashtextextended')).toBe('hashtextextended(ROW("id")::text, 0)');
  });
});
