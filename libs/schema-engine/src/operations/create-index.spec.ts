import { loadSqlParser } from '../format/sql-parser';
import { createIndex, CreateIndexBody } from './create-index';
import { columnModel, contextFor, tableModel } from './test-support/table-model';

const docs = tableModel('docs', [
  columnModel('id', 'integer', { nullable: false }),
  columnModel('title'),
  columnModel('body_text', 'text', { name: 'body' }),
  columnModel('tags', 'text[]'),
]);

describe('create_index', () => {
  beforeAll(() => loadSqlParser());

  it('builds the index concurrently at start (dropping any invalid leftover first) and drops it concurrently at rollback', () => {
    const op = CreateIndexBody.parse({
      table: 'docs',
      name: 'docs_title_idx',
      unique: true,
      columns: [{ column: 'title', collate: 'C', sort: 'DESC', nulls: 'LAST', opclass: 'text_pattern_ops' }, 'id'],
      storage_parameters: 'fillfactor=70',
      predicate: "title <> ''",
    });
    const ctx = contextFor([docs]);
    expect(createIndex.validate(op, ctx)).toEqual([]);
    const plan = createIndex.start(op, ctx);
    expect(plan.actions).toEqual([
      { kind: 'sql', sql: 'DROP INDEX CONCURRENTLY IF EXISTS "public"."docs_title_idx"', description: 'drop leftover index docs_title_idx', transactional: false },
      {
        kind: 'sql',
        sql:
          'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "docs_title_idx" ON "public"."docs" USING btree ' +
          `("title" COLLATE "C" "text_pattern_ops" DESC NULLS LAST, "id") WITH (fillfactor=70) WHERE (title <> '')`,
        description: 'create index docs_title_idx on docs',
        transactional: false,
      },
    ]);
    expect(plan.model.tables[0].indexes).toEqual([expect.objectContaining({ name: 'docs_title_idx', columns: ['title', 'id'], unique: true, constraint: null })]);
    expect(createIndex.complete(op, ctx)).toEqual([]);
    expect(createIndex.rollback(op, ctx)).toEqual([
      { kind: 'sql', sql: 'DROP INDEX CONCURRENTLY IF EXISTS "public"."docs_title_idx"', description: 'drop index docs_title_idx', transactional: false },
    ]);
  });

  it('indexes and filters a renamed column by its physical name', () => {
    const op = CreateIndexBody.parse({ table: 'docs', name: 'docs_body', columns: ['body'], predicate: 'body IS NOT NULL', method: 'hash' });
    const [, create] = createIndex.start(op, contextFor([docs])).actions;
    expect(create).toMatchObject({ sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "docs_body" ON "public"."docs" USING hash ("body_text") WHERE ("body_text" IS NOT NULL)' });
  });

  it('accepts the map form of columns of pgroll 0.10, in key order, and opclass parameters', () => {
    const op = CreateIndexBody.parse({ table: 'docs', name: 'docs_tags', method: 'gin', columns: { tags: { opclass: { name: 'pg_catalog.array_ops' } } } });
    expect(op.columns).toEqual([{ column: 'tags', opclass: { name: 'pg_catalog.array_ops' } }]);
    const [, create] = createIndex.start(op, contextFor([docs])).actions;
    expect(create).toMatchObject({ sql: expect.stringContaining('USING gin ("tags" "pg_catalog"."array_ops")') });
  });

  it.each([
    [{ table: 'nope', name: 'i', columns: ['id'] }, 'operations[0].create_index.table', 'table_not_found'],
    [{ table: 'docs', name: 'i', columns: ['id', 'nope'] }, 'operations[0].create_index.columns[1]', 'column_not_found'],
    [{ table: 'docs', name: 'docs', columns: ['id'] }, 'operations[0].create_index.name', 'relation_exists'],
    [{ table: 'docs', name: 'i', columns: ['id'], predicate: 'id >' }, 'operations[0].create_index.predicate', 'invalid_expression'],
    [{ table: 'docs', name: 'i', columns: ['id'], method: 'hash', unique: true }, 'operations[0].create_index.unique', 'unsupported_option'],
    [{ table: 'docs', name: 'i', columns: [{ column: 'id', sort: 'DESC' }], method: 'gin' }, 'operations[0].create_index.columns[0]', 'unsupported_option'],
    [{ table: 'docs', name: 'i', columns: ['id'], storage_parameters: 'fillfactor = = 3' }, 'operations[0].create_index', 'invalid_sql'],
  ])('reports %j at %s', (input, path, code) => {
    expect(createIndex.validate(CreateIndexBody.parse(input), contextFor([docs]))).toContainEqual(expect.objectContaining({ path, code }));
  });

  it('reports an index name already taken in the schema', () => {
    const indexed = tableModel('other', undefined, { indexes: [{ name: 'taken', columns: ['id'], unique: false, definition: '', constraint: null, valid: true }] });
    const op = CreateIndexBody.parse({ table: 'docs', name: 'taken', columns: ['id'] });
    expect(createIndex.validate(op, contextFor([docs, indexed]))).toEqual([expect.objectContaining({ code: 'index_exists' })]);
  });

  it.each([
    { table: 'docs', name: 'i"; DROP TABLE docs; --', columns: ['id'] },
    { table: 'docs', name: 'i', columns: [] },
    { table: 'docs', name: 'i', columns: ['id'], method: 'bloom' },
    { table: 'docs', name: 'i', columns: ['id'], predicate: 'true) ; DROP TABLE docs; --' },
    { table: 'docs', name: 'i', columns: [{ column: 'id', collate: 'C" ; DROP' }] },
    { table: 'docs', name: 'i', columns: [{ column: 'id', sort: 'sideways' }] },
    { table: 'docs', name: 'i', columns: ['id'], storage_parameters: 'fillfactor=70); DROP TABLE docs; --' },
  ])('refuses %j before anything runs', (input) => {
    expect(CreateIndexBody.safeParse(input).success).toBe(false);
  });
});
