import type { ColumnModel, TableModel } from '../model/schema-model';
import { backfillKeyFor } from './backfill-key';
import { keysetBatchSql } from './batch-sql';

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

describe('keysetBatchSql', () => {
  it('compares composite keys as row values, casts the text of the last key back, bounds the walk', () => {
    const sql = keysetBatchSql('app', 'or"ders', [{ name: 'region', type: 'text' }, { name: 'id', type: 'bigint' }], 'region', false);
    expect(sql).toContain('FROM "app"."or""ders" WHERE ("region", "id") > ($2::text, $3::bigint) AND ("region", "id") <= ($4::text, $5::bigint)');
    expect(sql).toContain('LIMIT $1 FOR NO KEY UPDATE');
    expect(sql).toContain('SET "region" = t."region"');
  });

  it('has no lower bound on the first batch', () => {
    const sql = keysetBatchSql('app', 't', [{ name: 'id', type: 'integer' }], 'id', true);
    expect(sql).toContain('WHERE ("id") <= ($2::integer)');
  });
});
