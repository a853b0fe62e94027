import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle } from '../testing';

const IDENTITY = `SELECT relreplident AS identity FROM pg_class WHERE oid = 'public.events'::regclass`;

describe('set_replica_identity (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_replica_identity');
    await applyMigration(db.url, migrationOf('00_events', [{ create_table: { name: 'events', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'payload', type: 'text', nullable: true }] } }]));
  });
  afterAll(() => db.drop());

  it('applies FULL at start, restores DEFAULT on rollback (identical dump), keeps FULL after complete', async () => {
    await runOperationCycle(db.url, migrationOf('01_full', [{ set_replica_identity: { table: 'events', identity: { type: 'full' } } }]), {
      async afterStart(ctx) {
        expect(await ctx.sql(IDENTITY)).toEqual([{ identity: 'f' }]);
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO events VALUES (1, 'x')`);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(IDENTITY)).toEqual([{ identity: 'd' }]);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(IDENTITY)).toEqual([{ identity: 'f' }]);
      },
    });
  });

  it('uses a unique index on NOT NULL columns', async () => {
    await runOperationCycle(db.url, migrationOf('02_index', [{ set_replica_identity: { table: 'events', identity: { type: 'index', index: 'events_pkey' } } }]), {
      async afterStart(ctx) {
        expect(await ctx.sql(IDENTITY)).toEqual([{ identity: 'i' }]);
        expect(await ctx.sql(`SELECT indisreplident FROM pg_index WHERE indexrelid = 'public.events_pkey'::regclass`)).toEqual([{ indisreplident: true }]);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(IDENTITY)).toEqual([{ identity: 'f' }]);
      },
    });
  });
});
