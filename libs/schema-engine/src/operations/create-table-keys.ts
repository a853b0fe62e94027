import type { Constraint } from '../format/constraint';
import type { CreateTableBody } from './create-table.schema';
import { primaryKeyName, uniqueKeyName } from './postgres-names';

/** A primary key or unique constraint of a new table, as Postgres will create it. */
export interface TableKey {
  name: string;
  type: 'primary_key' | 'unique';
  columns: string[];
  /** Where it was declared, for issue paths: `columns[2].unique`, `constraints[0]`, `columns`. */
  declaredAt: string[];
  /** The table constraint it came from, if any (for its index parameters). */
  constraint?: Constraint;
}

interface Candidate {
  name: string | null;
  type: 'primary_key' | 'unique';
  columns: string[];
  at: string;
  constraint?: Constraint;
}

/** What makes two key declarations the same index to Postgres (parse_utilcmd.c compares these). */
function identity(candidate: Candidate): string {
  const c = candidate.constraint;
  return JSON.stringify([
    candidate.columns,
    c?.index_parameters?.include_columns ?? [],
    c?.nulls_not_distinct ?? false,
    c?.deferrable || c?.initially_deferred ? true : false,
    c?.initially_deferred ?? false,
  ]);
}

/**
 * The primary key and unique constraints CREATE TABLE ends up with. Postgres merges identical
 * index declarations (`pk: true` plus `unique: true` on one column is a single primary key; an
 * unnamed one takes the name of a named duplicate), keeps the primary key first, and names the
 * rest itself (`<table>_pkey`, `<table>_<column>_key`). The model and the name checks both need
 * the result, not the declarations.
 */
export function tableKeys(op: CreateTableBody): TableKey[] {
  const pkColumns = op.columns.filter((column) => column.pk).map((column) => column.name);
  const candidates: Candidate[] = [];
  if (pkColumns.length > 0) candidates.push({ name: null, type: 'primary_key', columns: pkColumns, at: 'columns' });
  op.columns.forEach((column, i) => {
    if (column.unique) candidates.push({ name: null, type: 'unique', columns: [column.name], at: `columns[${i}].unique` });
  });
  (op.constraints ?? []).forEach((constraint, i) => {
    if (constraint.type === 'unique' || constraint.type === 'primary_key') {
      candidates.push({ name: constraint.name, type: constraint.type, columns: constraint.columns ?? [], at: `constraints[${i}].name`, constraint });
    }
  });
  const primary = candidates.find((candidate) => candidate.type === 'primary_key');
  const ordered = primary ? [primary, ...candidates.filter((candidate) => candidate !== primary)] : candidates;
  const kept: Array<Candidate & { declaredAt: string[] }> = [];
  for (const candidate of ordered) {
    const prior = kept.find((existing) => identity(existing) === identity(candidate));
    if (!prior) {
      kept.push({ ...candidate, declaredAt: [candidate.at] });
      continue;
    }
    prior.declaredAt.push(candidate.at);
    if (prior.name === null) prior.name = candidate.name;
    prior.constraint ??= candidate.constraint;
  }
  return kept.map((key) => ({
    name: key.name ?? (key.type === 'primary_key' ? primaryKeyName(op.name) : uniqueKeyName(op.name, key.columns[0])),
    type: key.type,
    columns: key.columns,
    declaredAt: key.declaredAt,
    ...(key.constraint ? { constraint: key.constraint } : {}),
  }));
}
