import { setReplicaIdentity, SetReplicaIdentityBody } from './set-replica-identity';
import { columnModel, contextFor, tableModel } from './test-support/table-model';

const events = tableModel('events', [columnModel('id', 'integer', { nullable: false }), columnModel('note')], {
  indexes: [
    { name: 'events_id_key', columns: ['id'], unique: true, definition: '', constraint: 'events_id_key', valid: true },
    { name: 'events_note_key', columns: ['note'], unique: true, definition: '', constraint: null, valid: true },
    { name: 'events_note_idx', columns: ['note'], unique: false, definition: '', constraint: null, valid: true },
  ],
});

describe('set_replica_identity', () => {
  it('applies the identity at start and restores the previous one at rollback', () => {
    const op = SetReplicaIdentityBody.parse({ table: 'events', identity: { type: 'FULL' } });
    const ctx = contextFor([events]);
    expect(setReplicaIdentity.validate(op, ctx)).toEqual([]);
    const plan = setReplicaIdentity.start(op, ctx);
    expect(plan.actions).toEqual([{ kind: 'sql', sql: 'ALTER TABLE "public"."events" REPLICA IDENTITY FULL', description: 'set replica identity of events to full' }]);
    expect(plan.model.tables[0].replicaIdentity).toBe('f');
    expect(setReplicaIdentity.complete(op, ctx)).toEqual([]);
    expect(setReplicaIdentity.rollback(op, ctx)).toEqual([{ kind: 'sql', sql: 'ALTER TABLE "public"."events" REPLICA IDENTITY DEFAULT', description: 'set replica identity of events to default' }]);
  });

  it('uses an index, and rollback from an index identity names that index', () => {
    const op = SetReplicaIdentityBody.parse({ table: 'events', identity: { type: 'index', index: 'events_id_key' } });
    const plan = setReplicaIdentity.start(op, contextFor([events]));
    expect(plan.actions[0]).toMatchObject({ sql: 'ALTER TABLE "public"."events" REPLICA IDENTITY USING INDEX "events_id_key"' });
    const back = SetReplicaIdentityBody.parse({ table: 'events', identity: { type: 'nothing' } });
    const ctx = { ...contextFor([]), model: plan.model };
    expect(setReplicaIdentity.validate(back, ctx)).toEqual([]);
    expect(setReplicaIdentity.rollback(back, ctx)).toEqual([expect.objectContaining({ sql: 'ALTER TABLE "public"."events" REPLICA IDENTITY USING INDEX "events_id_key"' })]);
  });

  it.each([
    [{ table: 'nope', identity: { type: 'full' } }, 'table_not_found'],
    [{ table: 'events', identity: { type: 'index', index: 'nope' } }, 'index_not_found'],
    [{ table: 'events', identity: { type: 'index', index: 'events_note_idx' } }, 'invalid_replica_identity_index'],
    [{ table: 'events', identity: { type: 'index', index: 'events_note_key' } }, 'invalid_replica_identity_index'],
  ])('reports %j (%s)', (input, code) => {
    expect(setReplicaIdentity.validate(SetReplicaIdentityBody.parse(input), contextFor([events]))).toEqual([expect.objectContaining({ code })]);
  });

  it('refuses to start when the current index identity is unknown (rollback could not restore it)', () => {
    const op = SetReplicaIdentityBody.parse({ table: 'events', identity: { type: 'full' } });
    expect(setReplicaIdentity.validate(op, contextFor([{ ...events, replicaIdentity: 'i' }]))).toEqual([expect.objectContaining({ code: 'replica_identity_unknown' })]);
  });

  it.each([{ table: 'events', identity: { type: 'index' } }, { table: 'events', identity: { type: 'full', index: 'x' } }, { table: 'events', identity: { type: 'partial' } }])(
    'refuses %j',
    (input) => expect(SetReplicaIdentityBody.safeParse(input).success).toBe(false),
  );
});
