import { createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';
import { migrationIssues } from './shared/test-support/migration-issues';

describe('drop_multicolumn_constraint and drop_constraint', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_drop_constraint');
    await sqlOn(
      db.url,
      `CREATE TABLE bookings (
         id integer PRIMARY KEY,
         room text NOT NULL,
         night date NOT NULL,
         guests integer NOT NULL DEFAULT 1,
         CONSTRAINT bookings_room_night_key UNIQUE (room, night),
         CONSTRAINT bookings_guests_check CHECK (guests BETWEEN 1 AND 4)
       );
       INSERT INTO bookings VALUES (1, 'a', '2026-01-01', 2), (2, 'b', '2026-01-01', 4);`,
    );
  });
  afterAll(() => db.drop());

  it('frees the new version from the constraints while the old version keeps them, rolls back, completes', async () => {
    const migration = migrationOf('m1', [
      { drop_multicolumn_constraint: { table: 'bookings', name: 'bookings_room_night_key', down: { room: "room || '-' || id", night: 'night' } } },
      { drop_constraint: { table: 'bookings', name: 'bookings_guests_check', up: 'guests', down: 'LEAST(GREATEST(guests, 1), 4)' } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        // The new version may book a taken room and night, for 9 guests…
        await newVersion.query(`INSERT INTO bookings VALUES (3, 'a', '2026-01-01', 9)`);
        expect((await newVersion.query(`SELECT room, guests FROM bookings WHERE id = 3`)).rows[0]).toEqual({ room: 'a', guests: 9 });
        // …while down keeps the old columns within the old version's constraints,
        expect((await oldVersion.query(`SELECT room, guests FROM bookings WHERE id = 3`)).rows[0]).toEqual({ room: 'a-3', guests: 4 });
        // which still hold for the old version's own writes.
        await expect(oldVersion.query(`INSERT INTO bookings VALUES (4, 'b', '2026-01-01', 1)`)).rejects.toThrow(/bookings_room_night_key/);
        await expect(oldVersion.query(`INSERT INTO bookings VALUES (5, 'c', '2026-01-01', 7)`)).rejects.toThrow(/bookings_guests_check/);
      },
      async afterComplete(ctx) {
        expect((await ctx.sql(`SELECT conname FROM pg_constraint WHERE conrelid = 'public.bookings'::regclass ORDER BY conname COLLATE "C"`)).map((row) => row.conname)).toEqual([
          'bookings_pkey',
        ]);
        // Duplicated columns come back last, in the order they were duplicated (as in pgroll), and stay NOT NULL.
        expect(
          await ctx.sql(`SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'public.bookings'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
        ).toEqual([
          { attname: 'id', attnotnull: true },
          { attname: 'room', attnotnull: true },
          { attname: 'night', attnotnull: true },
          { attname: 'guests', attnotnull: true },
        ]);
        // Row 3 was written by the new version during the first start: after that rollback only its `down` form remained.
        expect(await ctx.sql(`SELECT id, room, guests FROM bookings ORDER BY id`)).toEqual([
          { id: 1, room: 'a', guests: 2 },
          { id: 2, room: 'b', guests: 4 },
          { id: 3, room: 'a-3', guests: 4 },
        ]);
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO bookings VALUES (6, 'a', '2026-01-01', 12)`);
      },
    });
  });

  it('names what is wrong: unknown constraint, unknown column, single-column form on a composite constraint', async () => {
    expect(
      await migrationIssues(db.url, [
        { drop_multicolumn_constraint: { table: 'bookings', name: 'nope', down: {} } },
        { drop_multicolumn_constraint: { table: 'bookings', name: 'bookings_pkey', down: { id: 'id' }, up: { idd: 'id' } } },
        { drop_constraint: { table: 'bookings', name: 'bookings_pkey_x', up: 'id', down: 'id' } },
      ]),
    ).toEqual([
      ['operations[0].drop_multicolumn_constraint.name', 'constraint_not_found'],
      ['operations[1].drop_multicolumn_constraint.up.idd', 'unknown_column'],
      ['operations[2].drop_constraint.name', 'constraint_not_found'],
    ]);
    expect(await migrationIssues(db.url, [{ drop_constraint: { table: 'bookings', name: 'bookings_pkey', up: 'id', down: 'id; DROP TABLE bookings' } }])).toEqual([
      ['operations[0].drop_constraint.down', 'invalid_value'],
    ]);
  });
});
