import { ColumnNotFoundError } from '../errors/column-not-found.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { KeyNotUsableError } from '../errors/key-not-usable.error';
import { resolveColumns, resolveKey } from './resolve-key';
import type { TableShape } from './table-shape';

const shape: TableShape = {
  schema: 'public',
  table: 'accounts',
  relation: '"public"."accounts"',
  columns: [
    { name: 'id', type: 'bigint', notNull: true, collation: null },
    { name: 'email', type: 'text', notNull: true, collation: '"pg_catalog"."C"' },
    { name: 'tenant', type: 'integer', notNull: true, collation: null },
    { name: 'note', type: 'text', notNull: false, collation: null },
  ],
  primaryKey: ['id'],
  uniqueKeys: [['id'], ['email']],
};

describe('resolveKey', () => {
  it('defaults to the primary key, with its types', () => {
    expect(resolveKey(shape)).toEqual({ columns: ['id'], types: ['bigint'], collations: [null], source: 'primary-key' });
    expect(resolveKey({ ...shape, primaryKey: null })).toBeNull();
  });

  it('accepts given NOT NULL columns a unique index covers, in the given order', () => {
    expect(resolveKey(shape, ['tenant', 'email'])).toEqual({
      columns: ['tenant', 'email'],
      types: ['integer', 'text'],
      collations: [null, '"pg_catalog"."C"'],
      source: 'given',
    });
  });

  it('refuses nullable, non-unique, unknown or empty key lists', () => {
    expect(() => resolveKey(shape, ['email', 'note'])).toThrow(KeyNotUsableError);
    expect(() => resolveKey(shape, ['tenant'])).toThrow(/no unique index/);
    expect(() => resolveKey(shape, ['nope'])).toThrow(ColumnNotFoundError);
    expect(() => resolveKey(shape, [])).toThrow(InvalidOptionError);
  });
});

describe('resolveColumns', () => {
  it('defaults to attnum order and keeps a given order', () => {
    expect(resolveColumns(shape)).toEqual(['id', 'email', 'tenant', 'note']);
    expect(resolveColumns(shape, ['note', 'id'])).toEqual(['note', 'id']);
  });

  it('refuses unknown or repeated columns', () => {
    expect(() => resolveColumns(shape, ['id', 'ghost'])).toThrow(ColumnNotFoundError);
    expect(() => resolveColumns(shape, ['id', 'id'])).toThrow(InvalidOptionError);
  });
});
