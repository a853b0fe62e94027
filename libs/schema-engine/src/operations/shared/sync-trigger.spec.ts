import { syncTriggerNames } from './internal-names';
import { tokenizeSql } from './sql-lexer';
import { columnModel, tableModel } from '../test-support/table-model';
import { backfillCompute, createSyncTriggerActions, dropSyncTriggerActions, syncFunctionSql, type SyncTrigger } from './sync-trigger';

const trigger: SyncTrigger = {
  schema: 'public',
  table: 'reviews',
  names: syncTriggerNames('reviews', 'm1', 0),
  versionSchema: 'public_m1',
  fromOld: {
    variables: [
      { name: 'id', physicalName: 'id' },
      { name: 'rating', physicalName: 'rating' },
    ],
    assignments: [{ physicalName: '_bascule_new_rating', expression: 'CAST(rating AS integer)' }],
  },
  fromNew: {
    variables: [
      { name: 'id', physicalName: 'id' },
      { name: 'rating', physicalName: '_bascule_new_rating' },
    ],
    assignments: [{ physicalName: 'rating', expression: 'CAST(rating AS text)' }],
  },
};

describe('sync trigger', () => {
  it('acts on old-version writes only in the up function, declaring the old version’s columns', () => {
    const sql = syncFunctionSql(trigger, 'fromOld');
    expect(sql).toMatch(/^CREATE OR REPLACE FUNCTION "public"\."_bascule_up_000_reviews_m1"\(\) RETURNS trigger/);
    expect(sql).toContain(`IF (current_schemas(false))[1] IS NOT DISTINCT FROM 'public_m1' THEN\n    RETURN NEW;`);
    expect(sql).toContain(`"rating" "public"."reviews"."rating"%TYPE := NEW."rating";`);
    expect(sql).toMatch(/NEW\."_bascule_new_rating" := \(\nCAST\(rating AS integer\)\n\s+\);/);
    expect(sql).not.toContain('CAST(rating AS text)');
  });

  it('acts on new-version writes only in the down function, declaring the new version’s columns', () => {
    const sql = syncFunctionSql(trigger, 'fromNew');
    expect(sql).toContain(`IF NOT (current_schemas(false))[1] IS NOT DISTINCT FROM 'public_m1' THEN\n    RETURN NEW;`);
    expect(sql).toContain(`"rating" "public"."reviews"."_bascule_new_rating"%TYPE := NEW."_bascule_new_rating";`);
    expect(sql).toMatch(/NEW\."rating" := \(\nCAST\(rating AS text\)\n\s+\);/);
  });

  it('picks a dollar-quote tag the body does not contain, and quotes hostile names', () => {
    const hostile: SyncTrigger = {
      ...trigger,
      table: 'a"b',
      versionSchema: "v'1",
      fromOld: { variables: [{ name: 'x$bascule$y', physicalName: 'x$bascule$y' }], assignments: [{ physicalName: 'n', expression: "'$bascule$'" }] },
    };
    const sql = syncFunctionSql(hostile, 'fromOld');
    expect(sql).toContain('AS $bascule1$');
    expect(sql.endsWith('$bascule1$')).toBe(true);
    expect(sql).toContain(`FROM 'v''1'`);
    expect(sql).toContain(`"public"."a""b"."x$bascule$y"%TYPE`);
    // The whole statement lexes as one: nothing escapes its quoting.
    expect(tokenizeSql(sql).filter((token) => token.kind === 'punct' && token.text === ';')).toHaveLength(0);
  });

  it('creates a BEFORE INSERT OR UPDATE row trigger per direction that has work, and drops them idempotently', () => {
    const creates = createSyncTriggerActions(trigger).map((action) => action.sql);
    expect(creates).toHaveLength(4);
    expect(creates[1]).toBe(
      'CREATE OR REPLACE TRIGGER "_bascule_up_000_reviews_m1" BEFORE INSERT OR UPDATE ON "public"."reviews" FOR EACH ROW ' +
        `WHEN (NOT current_setting('bascule.backfill_skip', true) IS NOT DISTINCT FROM '_bascule_up_000_reviews_m1' ` +
        `AND NOT (current_schemas(false))[1] IS NOT DISTINCT FROM 'public_m1') ` +
        'EXECUTE FUNCTION "public"."_bascule_up_000_reviews_m1"()',
    );
    // The new→old trigger fires for new-version writers only (the backfill never is one).
    expect(creates[3]).toBe(
      'CREATE OR REPLACE TRIGGER "_bascule_down_999_reviews_m1" BEFORE INSERT OR UPDATE ON "public"."reviews" FOR EACH ROW ' +
        `WHEN ((current_schemas(false))[1] IS NOT DISTINCT FROM 'public_m1') EXECUTE FUNCTION "public"."_bascule_down_999_reviews_m1"()`,
    );
    const upOnly = { ...trigger, fromNew: { variables: [], assignments: [] } };
    expect(createSyncTriggerActions(upOnly)).toHaveLength(2);
    expect(dropSyncTriggerActions(upOnly).map((action) => action.sql)).toEqual([
      'DROP TRIGGER IF EXISTS "_bascule_up_000_reviews_m1" ON "public"."reviews"',
      'DROP FUNCTION IF EXISTS "public"."_bascule_up_000_reviews_m1"()',
    ]);
  });

  describe('backfillCompute', () => {
    const reviews = tableModel('reviews', [columnModel('id', 'integer', { nullable: false }), columnModel('rating')]);

    it('hands the backfill the up expressions and the trigger it stands in for when they read the physical row as is', () => {
      expect(backfillCompute(trigger, reviews)).toEqual({
        trigger: '_bascule_up_000_reviews_m1',
        assignments: [{ column: '_bascule_new_rating', expression: 'CAST(rating AS integer)' }],
      });
    });

    it('leaves the work to the trigger when the row holds a column the trigger does not let up read', () => {
      const generated = tableModel('reviews', [...reviews.columns, columnModel('x2', 'integer', { generated: 'id * 2' })]);
      expect(backfillCompute(trigger, generated)).toBeUndefined();
      const renamed = { ...trigger, fromOld: { ...trigger.fromOld, variables: [{ name: 'id', physicalName: 'id' }, { name: 'score', physicalName: 'rating' }] } };
      expect(backfillCompute(renamed, reviews)).toBeUndefined();
    });

    it('leaves the work to the trigger when an expression names a column being filled', () => {
      const selfReading = { ...trigger, fromOld: { ...trigger.fromOld, assignments: [{ physicalName: '_bascule_new_rating', expression: '_bascule_new_rating' }] } };
      expect(backfillCompute(selfReading, reviews)).toBeUndefined();
    });
  });
});
