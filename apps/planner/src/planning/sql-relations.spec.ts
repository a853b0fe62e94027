import { loadRelationParser, sqlRelations } from './sql-relations';

describe('sqlRelations', () => {
  beforeAll(() => loadRelationParser());

  it('names the tables of DML and DDL, qualified, without CTE names', () => {
    expect(sqlRelations('UPDATE audit_log SET note = note')).toEqual(['public.audit_log']);
    expect(sqlRelations('WITH x AS (SELECT * FROM s.orders o JOIN items i ON i.o = o.id) INSERT INTO totals SELECT * FROM x').sort()).toEqual(['public.items', 'public.totals', 's.orders']);
    expect(sqlRelations('CREATE INDEX a_b ON accounts (owner); ALTER TABLE t ADD COLUMN c int')).toEqual(['public.accounts', 'public.t']);
  });

  it('names nothing in SQL it cannot parse', () => {
    expect(sqlRelations('SELEC 1 FROM')).toEqual([]);
  });
});
