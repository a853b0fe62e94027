import { keywordTokenIndex, renameColumnReferences, withoutNotValid } from './column-references';
import { copyIndexSql } from './index-copy';
import { isLiteralDefault } from './literal-default';

const renames = new Map([['rating', '_bascule_new_rating']]);

describe('renameColumnReferences', () => {
  it('renames column references, not functions, qualified names, casts or string contents', () => {
    expect(renameColumnReferences(`CHECK ((length(rating) < 10 AND t.rating > 'rating' AND x::rating IS NULL AND rating(1) > 0))`, renames)).toBe(
      `CHECK ((length("_bascule_new_rating") < 10 AND t.rating > 'rating' AND x::rating IS NULL AND rating(1) > 0))`,
    );
  });

  it('folds unquoted names and matches quoted ones exactly', () => {
    const mixed = new Map([['Rating', 'dup']]);
    expect(renameColumnReferences(`"Rating" > Rating`, mixed)).toBe(`"dup" > Rating`);
    expect(renameColumnReferences(`RATING > 1`, renames)).toBe(`"_bascule_new_rating" > 1`);
  });

  it('stops before REFERENCES in a foreign key', () => {
    const definition = 'FOREIGN KEY (rating) REFERENCES other(rating)';
    expect(renameColumnReferences(definition, renames, { toToken: keywordTokenIndex(definition, 'references') })).toBe(
      'FOREIGN KEY ("_bascule_new_rating") REFERENCES other(rating)',
    );
  });

  it('drops a trailing NOT VALID', () => {
    expect(withoutNotValid('CHECK ((a > 0)) NOT VALID')).toBe('CHECK ((a > 0))');
  });
});

describe('copyIndexSql', () => {
  it('rebuilds an index concurrently under a new name on the renamed columns, table name untouched', () => {
    expect(copyIndexSql('CREATE UNIQUE INDEX rating_idx ON public.rating USING btree (rating, lower(rating)) WHERE (rating IS NOT NULL)', 'copy', renames)).toBe(
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "copy" ON public.rating USING btree ("_bascule_new_rating", lower("_bascule_new_rating")) WHERE ("_bascule_new_rating" IS NOT NULL)',
    );
  });
});

describe('isLiteralDefault', () => {
  it.each([["0", true], ["'x'::text", true], ["'a'::character varying", true], ['-1.5', true], ['true', true], ['NULL', true]])('%s → %s', (text, expected) => {
    expect(isLiteralDefault(text)).toBe(expected);
  });
  it.each([['now()', false], ["nextval('s'::regclass)", false], ['gen_random_uuid()', false], ['CURRENT_TIMESTAMP', false], ['1 + random()', false]])(
    '%s → %s',
    (text, expected) => {
      expect(isLiteralDefault(text)).toBe(expected);
    },
  );
});
