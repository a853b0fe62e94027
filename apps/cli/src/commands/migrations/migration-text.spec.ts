import { migrationDetail, migrationTable, type MigrationView } from './migration-text';

const running: MigrationView = {
  id: 'm-1',
  name: 'widen-balance',
  status: 'running',
  target: 'app',
  requestedBy: 'ana',
  plannedAt: '2026-01-05T14:03:22.123Z',
  startedAt: '2026-01-05T14:04:00.000Z',
  startedBy: 'ana',
  phases: [
    {
      name: 'expand',
      status: 'running',
      steps: [
        { id: 'widen', kind: 'schema', status: 'running', progress: { table: 'accounts', rowsDone: 12_000, rowsTotal: 30_000 } },
        { id: 'ok', kind: 'approval', status: 'succeeded', approvedBy: 'bo' },
      ],
    },
    { name: 'check', status: 'pending', steps: [{ id: 'integrity', kind: 'verify', status: 'pending' }] },
  ],
};

describe('migrationTable', () => {
  it('lines the migrations up under a header, without trailing blanks', () => {
    expect(migrationTable([running, { ...running, id: 'm-22', name: 'drop-x', status: 'rolled_back', requestedBy: 'eve', plannedAt: null }])).toBe(
      ['ID    STATUS       PLANNED              BY   NAME', 'm-1   running      2026-01-05 14:03:22  ana  widen-balance', 'm-22  rolled_back  -                    eve  drop-x'].join('\n'),
    );
  });

  it('says so when there is none', () => {
    expect(migrationTable([])).toBe('no migrations');
  });
});

describe('migrationDetail', () => {
  it('shows who started it, each phase and step with a backfill and an approval', () => {
    expect(migrationDetail(running)).toBe(
      [
        'widen-balance (m-1)',
        'status: running, target app',
        'planned 2026-01-05 14:03:22 by ana',
        'started 2026-01-05 14:04:00 by ana',
        '',
        'phase 1/2    "expand"  running',
        '  widen      schema    running    backfill accounts 12,000/30,000 (40%)',
        '  ok         approval  succeeded  approved by bo',
        'phase 2/2    "check"   pending',
        '  integrity  verify    pending',
      ].join('\n'),
    );
  });

  it('gives the trace id, and the Grafana link when the planner has one', () => {
    const traced = { ...running, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', traceUrl: null };
    expect(migrationDetail(traced).split('\n')[3]).toBe('trace 4bf92f3577b34da6a3ce929d0e0e4736');
    expect(migrationDetail({ ...traced, traceUrl: 'http://grafana:3000/explore?x=1' }).split('\n')[3]).toBe('trace 4bf92f3577b34da6a3ce929d0e0e4736 http://grafana:3000/explore?x=1');
  });

  it('names what a failed rollback left in place, and not once the target is restored', () => {
    const rollback = { trigger: 'on-call', reason: 'p99 doubled', requestedBy: 'alice', compensated: ['ok'], stillInPlace: ['widen'], failure: { code: 'EXPANSION_GONE', message: 'no active migration', stepId: 'widen' } };
    const failed: MigrationView = { ...running, status: 'rollback_failed', failure: { code: 'SQL_FAILED', message: 'boom', stepId: 'widen' }, rollback };
    const text = migrationDetail(failed);
    expect(text).toContain('failure in step widen: [SQL_FAILED] boom');
    expect(text).toContain('rollback (on-call) requested by alice: p99 doubled\n  compensated: ok\n  still in place: widen\n  rollback failed at widen: [EXPANSION_GONE] no active migration');
    expect(migrationDetail({ ...failed, status: 'rolled_back', rollback: { ...rollback, failure: null } })).not.toContain('still in place');
  });
});
