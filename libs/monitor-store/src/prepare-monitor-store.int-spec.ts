import { createTestDatabase, createTestRole, type TestDatabase, type TestRole } from '@bascule/testing';
import { DataSource } from 'typeorm';
import { MetricBaselineRow } from './entities/metric-baseline.entity';
import { MonitorRun } from './entities/monitor-run.entity';
import { monitorDataSourceOptions } from './monitor-data-source';
import { ensureMonitorStore, isMonitorStoreOutdatedError, prepareMonitorStore } from './prepare-monitor-store';

describe('the monitor store (real Postgres): TypeORM migrations applied by an admin, used by a least-privilege role', () => {
  let db: TestDatabase;
  let role: TestRole;
  const sources: DataSource[] = [];

  async function connect(url: string): Promise<DataSource> {
    const source = await new DataSource(monitorDataSourceOptions(url)).initialize();
    sources.push(source);
    return source;
  }

  beforeEach(async () => {
    db = await createTestDatabase('monstore');
    role = await createTestRole('monstore_role');
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.destroy()));
    await db.drop();
    await role.drop();
  });

  it('refuses to start a role that may not create the tables, naming the role and the command, and creates nothing', async () => {
    const asRole = await connect(role.urlOn(db));
    const refused = await ensureMonitorStore(asRole).catch((error: unknown) => error);
    expect(isMonitorStoreOutdatedError(refused)).toBe(true);
    expect((refused as Error).message).toBe(
      `the monitor's tables (schema bascule_monitor) are not up to date and role "${role.name}" may not update them: run \`bascule events init --grant ${role.name}\` as an admin`,
    );
    const admin = await connect(db.url);
    expect(await admin.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'bascule_monitor'`)).toEqual([]);
  });

  it('after the admin prepared it, the role keeps its state through the entities and may not change the schema', async () => {
    const admin = await connect(db.url);
    await prepareMonitorStore(admin, role.name);
    await prepareMonitorStore(admin, role.name); // again: nothing pending, grants the same

    const asRole = await connect(role.urlOn(db));
    await expect(ensureMonitorStore(asRole)).resolves.toBeUndefined();
    const now = new Date();
    await asRole.getRepository(MonitorRun).save({ migrationId: 'm1', target: 'app', status: 'watching', phase: 'running', windows: 3, consecutiveFailures: 1, throttled: true, outcome: null, startedAt: now, updatedAt: now });
    await asRole.getRepository(MetricBaselineRow).save({ migrationId: 'm1', metric: 'lookup', source: 'probe', values: [1.5, 2.25, 1.75], failures: 0, attempts: 3, recordedAt: now });
    expect(await asRole.getRepository(MonitorRun).findOneByOrFail({ migrationId: 'm1' })).toMatchObject({ windows: 3, consecutiveFailures: 1, throttled: true });
    expect((await asRole.getRepository(MetricBaselineRow).findOneByOrFail({ migrationId: 'm1', metric: 'lookup' })).values).toEqual([1.5, 2.25, 1.75]);

    for (const attack of [
      'DROP TABLE bascule_monitor.windows',
      'ALTER TABLE bascule_monitor.runs ADD COLUMN x int',
      'CREATE TABLE bascule_monitor.extra (x int)',
      `DELETE FROM bascule_monitor.typeorm_migrations`,
    ]) {
      await expect(asRole.query(attack)).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('lets an owner role bring a fresh database up to date at boot, once', async () => {
    const owner = await connect(db.url);
    await ensureMonitorStore(owner);
    await ensureMonitorStore(owner);
    const applied: Array<{ name: string }> = await owner.query('SELECT name FROM bascule_monitor.typeorm_migrations');
    expect(applied.map((row) => row.name)).toEqual(['MonitorState1765110000000']);
    const tables: Array<{ table_name: string }> = await owner.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'bascule_monitor' ORDER BY 1`);
    expect(tables.map((row) => row.table_name)).toEqual(['baselines', 'runs', 'typeorm_migrations', 'windows']);
  });
});
