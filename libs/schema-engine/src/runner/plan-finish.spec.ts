import { loadSqlParser } from '../format/sql-parser';
import type { SchemaModel } from '../model/schema-model';
import { parseMigration } from '../format/parse-migration';
import { planComplete, planRollback } from './plan-finish';

const empty: SchemaModel = { schema: 'public', tables: [] };
const table = (name: string) => ({ create_table: { name, columns: [{ name: 'id', type: 'integer', pk: true }] } });

describe('planComplete / planRollback', () => {
  beforeAll(() => loadSqlParser());
  const migration = () => parseMigration({ operations: [table('a'), table('b')] }, 'm2');
  const names = { schema: 'public', versionSchema: 'public_m2' };

  it('complete drops the previous version schema first', () => {
    const actions = planComplete({ migration: migration(), names, opModels: [empty, empty], previousVersionSchema: 'public_m1' });
    expect(actions[0].action).toMatchObject({ kind: 'sql', sql: 'DROP SCHEMA IF EXISTS "public_m1" CASCADE' });
  });

  it('rollback drops the new version schema, then undoes operations in reverse order', () => {
    const actions = planRollback({ migration: migration(), names, opModels: [empty, empty], previousVersionSchema: null, startedOps: 2, partial: false });
    expect(actions.map((a) => (a.action.kind === 'sql' ? a.action.sql : ''))).toEqual([
      'DROP SCHEMA IF EXISTS "public_m2" CASCADE',
      'DROP TABLE IF EXISTS "public"."b"',
      'DROP TABLE IF EXISTS "public"."a"',
    ]);
  });

  it('a half-started operation is undone tolerating what is not there; later ones are skipped', () => {
    const actions = planRollback({ migration: migration(), names, opModels: [empty, empty], previousVersionSchema: null, startedOps: 0, partial: true });
    expect(actions.map((a) => [a.location.index, a.tolerateMissing ?? false])).toEqual([
      [null, false],
      [0, true],
    ]);
  });
});
