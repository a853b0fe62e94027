import { z } from 'zod';
import { Identifier } from '../format/identifier';
import { findTable, withTable, type IndexModel, type TableModel } from '../model/schema-model';
import { qualified, quoteIdent } from '../sql/identifiers';
import { isIssue, lookupTable } from './model-lookup';
import { defineOperation, type SqlAction, type ValidationIssue } from './operation';

/** pgroll accepts the identity type in any case (it upper-cases it). */
const IdentityType = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase() : value),
  z.enum(['nothing', 'default', 'index', 'full']),
);

/** pgroll `OpSetReplicaIdentity` (deprecated in pgroll, still accepted). */
export const SetReplicaIdentityBody = z.strictObject({
  table: Identifier,
  identity: z
    .strictObject({ type: IdentityType, index: Identifier.optional() })
    .refine((identity) => (identity.type === 'index') === (identity.index !== undefined), {
      message: 'identity.index is required for type "index" and not allowed otherwise',
      path: ['index'],
    }),
});
export type SetReplicaIdentityBody = z.infer<typeof SetReplicaIdentityBody>;

type Identity = TableModel['replicaIdentity'];
const MODEL_CODE: Record<SetReplicaIdentityBody['identity']['type'], Identity> = { nothing: 'n', default: 'd', index: 'i', full: 'f' };

/** The index currently serving as replica identity, when introspection records it (`pg_index.indisreplident`). */
function replicaIdentityIndex(table: TableModel): IndexModel | undefined {
  return table.indexes.find((index) => 'replicaIdentity' in index && index.replicaIdentity === true);
}

function identityAction(schema: string, table: TableModel, identity: Identity, index?: string): SqlAction {
  const clause = identity === 'i' ? `USING INDEX ${quoteIdent(index ?? '')}` : { n: 'NOTHING', d: 'DEFAULT', f: 'FULL' }[identity];
  return {
    kind: 'sql',
    sql: `ALTER TABLE ${qualified(schema, table.physicalName)} REPLICA IDENTITY ${clause}`,
    description: `set replica identity of ${table.name} to ${clause.toLowerCase()}`,
  };
}

/**
 * set_replica_identity: logical replication settings are not versioned, so start applies the new
 * identity at once (a catalog-only change under a brief ACCESS EXCLUSIVE lock); complete has
 * nothing to do. Unlike pgroll (whose rollback is a no-op), rollback restores the identity the
 * table had before start.
 */
export const setReplicaIdentity = defineOperation({
  kind: 'set_replica_identity',
  schema: SetReplicaIdentityBody,
  validate(op, ctx) {
    const path = `operations[${ctx.index}].set_replica_identity`;
    const table = lookupTable(ctx.model, op.table, `${path}.table`);
    if (isIssue(table)) return [table];
    const issues: ValidationIssue[] = [];
    if (op.identity.type === 'index') {
      const index = table.indexes.find((candidate) => candidate.name === op.identity.index);
      if (!index) {
        issues.push({ path: `${path}.identity.index`, code: 'index_not_found', message: `table "${op.table}" has no index "${op.identity.index}"` });
      } else if (!index.unique || !index.valid || index.columns.some((column) => column === null)) {
        issues.push({ path: `${path}.identity.index`, code: 'invalid_replica_identity_index', message: `index "${index.name}" must be a valid unique index on plain columns to serve as replica identity` });
      } else if (index.columns.some((column) => table.columns.find((c) => c.physicalName === column)?.nullable)) {
        issues.push({ path: `${path}.identity.index`, code: 'invalid_replica_identity_index', message: `index "${index.name}" covers a nullable column; a replica identity index needs NOT NULL columns` });
      }
    }
    if (table.replicaIdentity === 'i' && !replicaIdentityIndex(table)) {
      issues.push({ path: `${path}.table`, code: 'replica_identity_unknown', message: `the current replica identity index of "${op.table}" is unknown, so rollback could not restore it` });
    }
    return issues;
  },
  start(op, ctx) {
    const identity = MODEL_CODE[op.identity.type];
    // Validation made sure the table exists; withTable throws otherwise.
    const table = findTable(ctx.model, op.table) as TableModel;
    const model = withTable(ctx.model, op.table, (current) => ({
      ...current,
      replicaIdentity: identity,
      indexes: current.indexes.map((index) => ({ ...index, replicaIdentity: identity === 'i' && index.name === op.identity.index })),
    }));
    return { actions: [identityAction(ctx.schema, table, identity, op.identity.index)], model };
  },
  complete: () => [],
  rollback(op, ctx) {
    const table = findTable(ctx.model, op.table);
    if (!table) return [];
    return [identityAction(ctx.schema, table, table.replicaIdentity, replicaIdentityIndex(table)?.name)];
  },
});
