import { InvalidIdentifierError } from '../errors/invalid-identifier.error';
import { qualified, quoteIdent } from './sql-identifiers';

describe('identifier quoting', () => {
  it('doubles embedded quotes and keeps everything else literal', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(qualified('we"ird; schema', "Tab'le")).toBe(`"we""ird; schema"."Tab'le"`);
  });

  it.each([
    ['', /empty/],
    ['a\0b', /NUL/],
    ['x'.repeat(64), /63 bytes/],
    ['é'.repeat(32), /63 bytes/],
  ])('refuses %j with a typed error', (name, reason) => {
    expect(() => quoteIdent(name)).toThrow(InvalidIdentifierError);
    expect(() => qualified('public', name)).toThrow(reason);
  });
});
