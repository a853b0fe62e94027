import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { appendEvents } from '../append/append-events';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { listStreams } from './list-streams';

describe('listStreams', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('bascule_list_streams');
    pool = new Pool({ connectionString: database.url });
    await ensureEventStoreSchema(pool);
    await appendEvents(pool, 'migration-a', [{ type: 'MigrationPlanned', data: {} }, { type: 'MigrationStarted', data: {} }]);
    await appendEvents(pool, 'migration_x', [{ type: 'MigrationPlanned', data: {} }]);
    await appendEvents(pool, 'migration-b', [{ type: 'RollbackRejected', data: {} }]);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('lists streams by literal prefix and first event type, with their last version', async () => {
    const streams = await listStreams(pool, { prefix: 'migration-', firstEventType: 'MigrationPlanned' });
    expect(streams.map((stream) => [stream.streamId, stream.version])).toEqual([['migration-a', 2]]);
    expect((await listStreams(pool, { prefix: 'migration-' })).map((stream) => stream.streamId)).toEqual(['migration-a', 'migration-b']);
  });
});
