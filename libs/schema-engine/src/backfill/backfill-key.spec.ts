import type { ColumnModel, TableModel } from '../model/schema-model';
import { backfillKeyFor } from './backfill-key';
import { keysetBoundSql, keysetUpdateSql, setClause } from './batch-sql';

const column = (name: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  name,
  physicalName: name,
  type: 'integer',
  nullable: false,
  default: null,
  comment: null,
  identity: null,
  generated: null,
  ...extra,
});

const table = (extra: Partial<TableModel>): TableModel => ({
  name: 't',
  physicalName: 't',
  columns: [column('id'), column('code', { type: 'text' }), column('note', { type: 'text', nullable: true })],
  primaryKey: [],
  constraints: [],
  indexes: [],
  comment: null,
  replicaIdentity: 'd',
  rowEstimate: 0,
  ...extra,
});

const uniqueIndex = (name: string, columns: Array<string | null>, definition = `CREATE UNIQUE INDEX ${name} ON t`) => ({
  name,
  columns,
  unique: true,
  definition,
  constraint: null,
  valid: true,
});

describe('backfillKeyFor', () => {
  it('prefers the primary key', () => {
    expect(backfillKeyFor(table({ primaryKey: ['id'] }))).toEqual({ kind: 'keyset', columns: [{ name: 'id', type: 'integer' }], touch: 'id' });
  });

  it('touches another column when the key is GENERATED ALWAYS (it cannot be assigned)', () => {
    const t = table({ primaryKey: ['id'], columns: [column('id', { identity: 'a' }), column('code', { type: 'text' })] });
    expect(backfillKeyFor(t)).toMatchObject({ kind: 'keyset', touch: 'code' });
  });

  it('falls back to a unique NOT NULL index, skipping nullable, partial and expression ones', () => {
    const t = table({
      indexes: [
        uniqueIndex('on_note', ['note']),
        uniqueIndex('partial', ['id'], 'CREATE UNIQUE INDEX partial ON t (id) WHERE id > 0'),
        uniqueIndex('expr', [null]),
        uniqueIndex('on_code', ['code']),
      ],
    });
    expect(backfillKeyFor(t)).toEqual({ kind: 'keyset', columns: [{ name: 'code', type: 'text' }], touch: 'code' });
  });

  it('walks by ctid when nothing identifies a row', () => {
    expect(backfillKeyFor(table({}))).toEqual({ kind: 'ctid', touch: 'id' });
  });
});

describe('keyset batch SQL', () => {
  const key = [{ name: 'region', type: 'text' }, { name: 'id', type: 'bigint' }];

  it('finds the batch end on the key alone, comparing composite keys as row values and bounding the walk', () => {
    const sql = keysetBoundSql('app', 'or"ders', key, false);
    expect(sql).toContain('FROM "app"."or""ders"');
    expect(sql).toContain('WHERE ("region", "id") > ($2::text, $3::bigint) AND ("region", "id") <= ($4::text, $5::bigint)');
    expect(sql).toContain('ORDER BY "region", "id" OFFSET $1 LIMIT 1');
  });

  it('updates the key range (last, end] without joining a key list', () => {
    const sql = keysetUpdateSql('app', 't', key, { kind: 'touch', column: 'region' }, false);
    expect(sql).toBe('UPDATE "app"."t" SET "region" = "region"\n WHERE ("region", "id") > ($1::text, $2::bigint) AND ("region", "id") <= ($3::text, $4::bigint)');
  });

  it('has no lower bound on the first batch', () => {
    expect(keysetBoundSql('app', 't', [{ name: 'id', type: 'integer' }], true)).toContain('WHERE ("id") <= ($2::integer)');
    expect(keysetUpdateSql('app', 't', [{ name: 'id', type: 'integer' }], { kind: 'touch', column: 'id' }, true)).toContain('WHERE ("id") <= ($1::integer)');
  });

  it('computes the new columns itself when given the trigger\'s expressions', () => {
    const assignment = { kind: 'compute' as const, assignments: [{ column: '_bascule_new_n', expression: 'CAST(n AS bigint)' }] };
    expect(setClause(assignment)).toBe('"_bascule_new_n" = (\nCAST(n AS bigint)\n)');
  });
});
