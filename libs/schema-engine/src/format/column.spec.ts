import { canonicalTypeName, Column, columnDefinitionSql, columnToModel } from './column';

describe('Column', () => {
  it('is NOT NULL unless it says nullable: true', () => {
    const column = Column.parse({ name: 'title', type: 'text' });
    expect(columnDefinitionSql(column, 'public')).toBe('"title" text NOT NULL');
    expect(columnToModel(column).nullable).toBe(false);
    expect(columnDefinitionSql(Column.parse({ name: 'note', type: 'text', nullable: true }), 'public')).toBe('"note" text');
  });

  it('renders default, unique, check and a qualified foreign key with its actions', () => {
    const column = Column.parse({
      name: 'author_id',
      type: 'integer',
      nullable: true,
      default: '0',
      unique: true,
      check: { name: 'author_positive', constraint: 'author_id >= 0' },
      references: { name: 'fk_author', table: 'users', column: 'id', on_delete: 'SET NULL', match_type: 'FULL', initially_deferred: true },
    });
    expect(columnDefinitionSql(column, 'app')).toBe(
      '"author_id" integer DEFAULT 0 UNIQUE CONSTRAINT "author_positive" CHECK (author_id >= 0) ' +
        'CONSTRAINT "fk_author" REFERENCES "app"."users" ("id") MATCH FULL ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED',
    );
  });

  it('renders identity and stored generated columns and models them', () => {
    const identity = Column.parse({ name: 'id', type: 'bigint', pk: true, generated: { identity: { user_specified_values: 'ALWAYS', sequence_options: 'START 100 INCREMENT 5' } } });
    expect(columnDefinitionSql(identity, 'public', { withPrimaryKey: true })).toBe(
      '"id" bigint GENERATED ALWAYS AS IDENTITY (START 100 INCREMENT 5) NOT NULL PRIMARY KEY',
    );
    expect(columnToModel(identity)).toMatchObject({ identity: 'a', nullable: false, generated: null });
    const generated = Column.parse({ name: 'total', type: 'numeric', nullable: true, generated: { expression: 'price * quantity' } });
    expect(columnDefinitionSql(generated, 'public')).toBe('"total" numeric GENERATED ALWAYS AS (price * quantity) STORED');
    expect(columnToModel(generated)).toMatchObject({ generated: 'price * quantity', identity: null, nullable: true });
  });

  it('makes an identity GENERATED ALWAYS unless it says BY DEFAULT (pgroll default)', () => {
    const column = Column.parse({ name: 'id', type: 'int', generated: { identity: {} } });
    expect(columnDefinitionSql(column, 'public')).toBe('"id" int GENERATED ALWAYS AS IDENTITY NOT NULL');
    expect(columnToModel(column).identity).toBe('a');
  });

  it('uses physical names for a referenced table renamed earlier in the migration', () => {
    const column = Column.parse({ name: 'a', type: 'int', references: { name: 'fk', table: 'people', column: 'pid' } });
    const sql = columnDefinitionSql(column, 'public', { physicalTable: () => 'users', physicalColumn: () => 'id' });
    expect(sql).toContain('REFERENCES "public"."users" ("id")');
  });

  it.each([
    [{ name: 'x', type: 'int', extra: 1 }, 'extra'],
    [{ name: 'x"; DROP TABLE y; --', type: 'int' }, 'name'],
    [{ name: 'a'.repeat(64), type: 'int' }, 'name'],
    [{ name: 'x', type: 'int; DROP TABLE users' }, 'type'],
    [{ name: 'x', type: 'int', default: "'a'); DROP TABLE users; --" }, 'default'],
    [{ name: 'x', type: 'int', default: '(1' }, 'default'],
    [{ name: 'x', type: 'int', default: "'unterminated" }, 'default'],
    [{ name: 'x', type: 'int', default: '1 -- comment' }, 'default'],
    [{ name: 'x', type: 'int', default: 'a\0b' }, 'default'],
    [{ name: 'x', type: 'int', generated: {} }, 'generated'],
    [{ name: 'x', type: 'int', generated: { expression: '1' }, default: '2' }, 'default'],
    [{ name: 'x', type: 'int', references: { name: 'f', table: 't', column: 'c', on_delete: 'DROP' } }, 'references'],
    [{ name: 'x', type: 'int', references: { name: 'f', table: 't', column: 'c', match_type: 'PARTIAL' } }, 'references'],
  ])('rejects %j at %s', (input, field) => {
    const result = Column.safeParse(input);
    expect(result.success).toBe(false);
    // An unknown key is reported on the object itself, naming the key.
    const fields = result.error?.issues.map((issue) => String(issue.path[0] ?? ('keys' in issue ? issue.keys[0] : '')));
    expect(fields).toContain(field);
  });

  it('accepts quotes, semicolons and dollar quotes inside literals', () => {
    expect(Column.safeParse({ name: 'x', type: 'text', default: "'a;b'' -- c'" }).success).toBe(true);
    expect(Column.safeParse({ name: 'x', type: 'text', default: '$$a;b$$' }).success).toBe(true);
    expect(Column.safeParse({ name: 'x', type: 'text', default: "E'it\\'s'" }).success).toBe(true);
    expect(Column.safeParse({ name: 'x', type: 'text', default: "E'\\'';DROP TABLE x" }).success).toBe(false);
  });

  it('normalises common type aliases to format_type spelling', () => {
    expect(canonicalTypeName('varchar(20)')).toBe('character varying(20)');
    expect(canonicalTypeName('int[]')).toBe('integer[]');
    expect(canonicalTypeName('timestamptz(3)')).toBe('timestamp(3) with time zone');
    expect(canonicalTypeName('serial')).toBe('integer');
    expect(canonicalTypeName('numeric(10, 2)')).toBe('numeric(10,2)');
    expect(canonicalTypeName('my_schema.my_type')).toBe('my_schema.my_type');
  });
});
