import type { RowKey } from '../catalog/resolve-key';
import { BindValues, bucketExpression, keyTuple, rangePredicate } from './key-sql';

const single: RowKey = { columns: ['id'], types: ['bigint'], collations: [null], source: 'primary-key' };
const composite: RowKey = { columns: ['tenant', 'we"ird'], types: ['integer', 'text'], collations: [null, null], source: 'primary-key' };

describe('key SQL', () => {
  it('compares composite keys as row values with quoted columns and typed binds', () => {
    const binds = new BindValues();
    expect(keyTuple(composite)).toBe('("tenant", "we""ird")');
    expect(rangePredicate(composite, { lower: ['1', 'a'], upper: ['2', 'b'] }, binds)).toBe(
      '("tenant", "we""ird") >= ($1::integer, $2::text) AND ("tenant", "we""ird") < ($3::integer, $4::text)',
    );
    expect(binds.values).toEqual(['1', 'a', '2', 'b']);
  });

  it('leaves an unbounded range unfiltered and binds nothing', () => {
    const binds = new BindValues();
    expect(rangePredicate(single, { lower: null, upper: null }, binds)).toBe('true');
    expect(binds.values).toEqual([]);
  });

  it('buckets a single-column key with width_bucket over one typed array parameter', () => {
    const binds = new BindValues();
    expect(bucketExpression(single, [['10'], ['20']], binds)).toBe('width_bucket("id", $1::text[]::bigint[])');
    expect(binds.values).toEqual([['10', '20']]);
  });

  it('buckets a composite key as records built from one array per column, in order', () => {
    const binds = new BindValues();
    expect(bucketExpression(composite, [['1', 'x'], ['2', 'y']], binds)).toBe(
      'width_bucket(ROW("tenant", "we""ird"), ARRAY(SELECT ROW(b0::integer, b1::text) FROM unnest($1::text[], $2::text[])' +
        ' WITH ORDINALITY AS b(b0, b1, position) ORDER BY position))',
    );
    expect(binds.values).toEqual([
      ['1', '2'],
      ['x', 'y'],
    ]);
  });

  it('repeats a non-default column collation on the bounds, which record comparison requires', () => {
    const collated: RowKey = { ...composite, collations: [null, '"pg_catalog"."en-x-icu"'] };
    expect(bucketExpression(collated, [['1', 'x']], new BindValues())).toContain('b1::text COLLATE "pg_catalog"."en-x-icu"');
    expect(rangePredicate(collated, { lower: ['1', 'x'], upper: null }, new BindValues())).toBe(
      '("tenant", "we""ird") >= ($1::integer, $2::text COLLATE "pg_catalog"."en-x-icu")',
    );
  });

  it('puts every row in bucket 0 when there is no boundary', () => {
    expect(bucketExpression(single, [], new BindValues())).toBe('0');
  });
});
