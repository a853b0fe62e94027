import type {
  ColumnModel,
  ConstraintModel,
  ConstraintType,
  IndexModel,
  SchemaModel,
  TableModel,
} from '../model/schema-model';
import { COLUMNS_SQL, CONSTRAINTS_SQL, INDEXES_SQL, TABLES_SQL } from './catalog-queries';
import type { Queryable } from './queryable';

interface TableRow {
  oid: string;
  name: string;
  replica_identity: TableModel['replicaIdentity'];
  row_estimate: number;
  comment: string | null;
}

interface ColumnRow {
  table_oid: string;
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  generated: string | null;
  identity: 'a' | 'd' | null;
  comment: string | null;
}

interface ConstraintRow {
  table_oid: string;
  name: string;
  type: 'p' | 'u' | 'c' | 'f' | 'x';
  definition: string;
  validated: boolean;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[];
}

interface IndexRow {
  table_oid: string;
  name: string;
  unique: boolean;
  valid: boolean;
  definition: string;
  columns: Array<string | null>;
  constraint: string | null;
}

const CONSTRAINT_TYPES: Record<ConstraintRow['type'], ConstraintType> = {
  p: 'primary_key',
  u: 'unique',
  c: 'check',
  f: 'foreign_key',
  x: 'exclude',
};

function groupBy<T extends { table_oid: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.table_oid) ?? [];
    group.push(row);
    groups.set(row.table_oid, group);
  }
  return groups;
}

function toColumn(row: ColumnRow): ColumnModel {
  return {
    name: row.name,
    physicalName: row.name,
    type: row.type,
    nullable: row.nullable,
    default: row.default,
    comment: row.comment,
    identity: row.identity,
    generated: row.generated,
  };
}

function toConstraint(row: ConstraintRow): ConstraintModel {
  const constraint: ConstraintModel = {
    name: row.name,
    type: CONSTRAINT_TYPES[row.type],
    columns: row.columns,
    definition: row.definition,
    validated: row.validated,
  };
  if (row.type === 'f' && row.ref_schema && row.ref_table) {
    constraint.references = { schema: row.ref_schema, table: row.ref_table, columns: row.ref_columns };
  }
  return constraint;
}

function toIndex(row: IndexRow): IndexModel {
  return {
    name: row.name,
    columns: row.columns,
    unique: row.unique,
    definition: row.definition,
    constraint: row.constraint,
    valid: row.valid,
  };
}

/**
 * Reads one schema's tables from pg_catalog into the model the operations plan against. Logical
 * names equal physical names: the live database *is* the latest completed version.
 */
export async function introspect(client: Queryable, schema: string): Promise<SchemaModel> {
  const tables = (await client.query<TableRow>(TABLES_SQL, [schema])).rows;
  const oids = tables.map((table) => table.oid);
  // One after another: a single pg client must not be given overlapping queries.
  const columns = await client.query<ColumnRow>(COLUMNS_SQL, [oids]);
  const constraints = await client.query<ConstraintRow>(CONSTRAINTS_SQL, [oids]);
  const indexes = await client.query<IndexRow>(INDEXES_SQL, [oids]);
  const columnsOf = groupBy(columns.rows);
  const constraintsOf = groupBy(constraints.rows);
  const indexesOf = groupBy(indexes.rows);
  return {
    schema,
    tables: tables.map((table): TableModel => {
      const tableConstraints = (constraintsOf.get(table.oid) ?? []).map(toConstraint);
      return {
        name: table.name,
        physicalName: table.name,
        columns: (columnsOf.get(table.oid) ?? []).map(toColumn),
        primaryKey: tableConstraints.find((constraint) => constraint.type === 'primary_key')?.columns ?? [],
        constraints: tableConstraints,
        indexes: (indexesOf.get(table.oid) ?? []).map(toIndex),
        comment: table.comment,
        replicaIdentity: table.replica_identity,
        rowEstimate: Number(table.row_estimate),
      };
    }),
  };
}
