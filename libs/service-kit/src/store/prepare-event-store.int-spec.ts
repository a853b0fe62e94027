import {
  appendEvents,
  ensureEventStoreSchema,
  EventStoreSchemaOutdatedError,
  loadCheckpoint,
  logExposure,
  readStream,
  saveCheckpoint,
  saveRelayCheckpoint,
  storedRelayCheckpoint,
  verifyChains,
} from '@bascule/event-store';
import { PostgresIdempotencyStore } from '@bascule/messaging';
import { createTestDatabase, createTestRole, type TestDatabase, type TestRole } from '@bascule/testing';
import { Pool } from 'pg';
import { ensureIdempotencyKeysTable } from './idempotency-keys.ddl';
import { prepareEventStore, ServiceRoleRefusedError } from './prepare-event-store';

/** What a role that may only append could still try against the log: each must be refused by Postgres itself. */
const ATTACKS = [
  'ALTER TABLE bascule.events DISABLE TRIGGER USER',
  'ALTER TABLE bascule.events DISABLE TRIGGER events_reject_update_delete_statement',
  'DROP TRIGGER events_chain ON bascule.events',
  'DELETE FROM bascule.events',
  "UPDATE bascule.events SET data = '{}'",
  'TRUNCATE bascule.events',
  'DROP TABLE bascule.events',
  'ALTER TABLE bascule.events RENAME TO old_events',
  'ALTER SEQUENCE bascule.events_global_position_seq RESTART WITH 1',
  'CREATE OR REPLACE FUNCTION bascule.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$',
  'CREATE TABLE bascule.shadow (id int)',
  'SET session_replication_role = replica',
  "UPDATE bascule.store_schema SET ddl_digest = 'forged'",
];

describe('event store under a least-privilege services role (real Postgres)', () => {
  let db: TestDatabase;
  let role: TestRole;
  let admin: Pool;
  let service: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('least_priv');
    role = await createTestRole('bascule_svc');
    admin = new Pool({ connectionString: db.url, max: 2 });
    await prepareEventStore(admin, role.name);
    service = new Pool({ connectionString: role.urlOn(db), max: 2 });
  });

  afterAll(async () => {
    await service?.end();
    await admin?.end();
    await db?.drop();
    await role?.drop();
  });

  it('does everything a service does: boot, append, read, checkpoints, processed messages, idempotency keys', async () => {
    await ensureEventStoreSchema(service);
    await new PostgresIdempotencyStore(service).prepare();
    await ensureIdempotencyKeysTable(service);

    await appendEvents(service, 'migration-a', [{ type: 'MigrationPlanned', data: { n: 1 } }]);
    await appendEvents(service, 'migration-a', [{ type: 'MigrationStarted', data: { n: 2 } }], { expectedVersion: 1 });
    expect((await readStream(service, 'migration-a')).map((event) => event.type)).toEqual(['MigrationPlanned', 'MigrationStarted']);

    await saveRelayCheckpoint(service, 'relay', 2n);
    await saveRelayCheckpoint(service, 'relay', 3n);
    expect(await storedRelayCheckpoint(service, 'relay')).toBe(3n);
    const checkpoint = await loadCheckpoint(service, 'projection');
    await saveCheckpoint(service, 'projection', checkpoint);

    const processed = new PostgresIdempotencyStore(service);
    await processed.markProcessed('consumer', 'message-1');
    expect(await processed.isProcessed('consumer', 'message-1')).toBe(true);
    await service.query("INSERT INTO bascule.idempotency_keys (key, request_hash) VALUES ('k', 'h')");
    await service.query("UPDATE bascule.idempotency_keys SET status = 201 WHERE key = 'k'");
    await service.query("DELETE FROM bascule.idempotency_keys WHERE key = 'k'");

    expect(await logExposure(service)).toEqual({ role: role.name, unrestrictable: null, extraPrivileges: [] });
  });

  it('refuses every way to alter, empty or unguard the log, and the log stays whole', async () => {
    await appendEvents(service, 'migration-b', [{ type: 'MigrationPlanned', data: {} }]);
    const before = await admin.query<{ count: string }>('SELECT count(*) FROM bascule.events');
    for (const attack of ATTACKS) {
      await expect(service.query(attack)).rejects.toMatchObject({ code: '42501' });
    }
    const after = await admin.query<{ count: string }>('SELECT count(*) FROM bascule.events');
    expect(after.rows[0].count).toBe(before.rows[0].count);
    expect(await verifyChains(admin)).toMatchObject({ ok: true });
    const triggers = await admin.query<{ enabled: string }>("SELECT tgenabled AS enabled FROM pg_trigger WHERE tgrelid = 'bascule.events'::regclass AND NOT tgisinternal");
    expect(triggers.rows.map((row) => row.enabled)).toEqual(['A', 'A', 'A']);
  });

  it('a store behind this version stops a service with a clear error and nothing changed; the admin brings it up', async () => {
    await admin.query("UPDATE bascule.store_schema SET ddl_digest = 'from-an-older-version'");
    await expect(ensureEventStoreSchema(service)).rejects.toThrow(EventStoreSchemaOutdatedError);
    await expect(ensureEventStoreSchema(service)).rejects.toThrow(/role "bascule_svc_\w+" may not change it: run `bascule events init`/);
    const { rows } = await admin.query<{ digest: string }>('SELECT ddl_digest AS digest FROM bascule.store_schema');
    expect(rows[0].digest).toBe('from-an-older-version');

    await prepareEventStore(admin, role.name);
    await expect(ensureEventStoreSchema(service)).resolves.toBeUndefined();
  });

  it('narrows a grant widened by hand back to append and read', async () => {
    await admin.query(`GRANT DELETE, TRUNCATE ON bascule.events TO "${role.name}"`);
    expect((await logExposure(admin, role.name)).extraPrivileges).toEqual(['DELETE', 'TRUNCATE']);
    await prepareEventStore(admin, role.name);
    expect((await logExposure(admin, role.name)).extraPrivileges).toEqual([]);
    await expect(service.query('TRUNCATE bascule.events')).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses to grant to a superuser or a missing role, granting nothing', async () => {
    await expect(prepareEventStore(admin, 'root')).rejects.toThrow(ServiceRoleRefusedError);
    await expect(prepareEventStore(admin, 'root')).rejects.toThrow(/role "root" is a superuser/);
    await expect(prepareEventStore(admin, 'no_such_role_anywhere')).rejects.toThrow(/role "no_such_role_anywhere" does not exist/);
    expect((await logExposure(admin)).unrestrictable).toMatch(/superuser/);
  });
});
