import { RecoveryPoint } from '@bascule/contracts';
import { queryOnce } from '@bascule/testing';
import { has } from '../testing/planner-test-app';
import { PlannerWorld } from '../testing/planner-world';

jest.setTimeout(120_000);

/** Two phases held by approvals: the test moves them on, no agent needed. */
const spec = {
  name: 'two-phases',
  target: 'app',
  rollback: { window: '0s' },
  phases: [
    { name: 'expand', steps: [{ id: 'first', approval: { approvers: ['bo'] } }] },
    { name: 'backfill', steps: [{ id: 'second', approval: { approvers: ['bo'] } }] },
  ],
};

describe('recovery points (real Postgres + NATS): the target\'s WAL position at every phase boundary', () => {
  let world: PlannerWorld;
  const as = (name: string) => ({ 'x-bascule-user': name });

  beforeAll(async () => {
    world = await PlannerWorld.start('recovery_points');
  });

  afterAll(async () => {
    await world?.close();
  });

  /** Writes on the target, so the WAL moves between boundaries. */
  const writeOnTarget = (sql: string) => queryOnce(world.target.url, sql);

  it('before and after each phase, expanded and completed carry pg_current_wal_lsn() and the time, in order; the view and the report list them', async () => {
    const { planner } = world;
    const posted = await planner.request('POST', '/migrations', spec, as('ana'));
    expect(posted.status).toBe(201);
    const id = posted.body.id as string;
    expect((await planner.request('POST', `/migrations/${id}/start`, undefined, as('ana'))).status).toBe(202);
    await planner.waitFor(id, has('StepDispatched'), 'the first approval');
    await writeOnTarget('CREATE TABLE moved (n integer); INSERT INTO moved SELECT generate_series(1, 1000)');
    expect((await planner.request('POST', `/migrations/${id}/steps/first/approve`, {}, as('bo'))).status).toBe(202);
    await planner.waitFor(id, has('StepDispatched', 2), 'the second approval');
    await writeOnTarget('INSERT INTO moved SELECT generate_series(1, 1000)');
    expect((await planner.request('POST', `/migrations/${id}/steps/second/approve`, {}, as('bo'))).status).toBe(202);
    const events = await planner.waitFor(id, has('MigrationCompleted'), 'completed (window 0s)');

    const stamped = events.filter((event) => (event.data as { recoveryPoint?: unknown }).recoveryPoint !== undefined);
    expect(stamped.map((event) => event.type)).toEqual(['PhaseStarted', 'PhaseCompleted', 'PhaseStarted', 'PhaseCompleted', 'MigrationExpanded', 'MigrationCompleted']);
    const points = stamped.map((event) => RecoveryPoint.parse((event.data as { recoveryPoint: unknown }).recoveryPoint));
    // In WAL order, moving across the writes made between the phases.
    const ordered = await lsnOrder(world.target.url, points.map((point) => point.lsn));
    expect(ordered).toEqual(points.map((_, index) => index));
    expect(lsnDifference(points[0].lsn, points[1].lsn)).not.toBe(0);
    for (const point of points) expect(Math.abs(Date.parse(point.at) - Date.now())).toBeLessThan(10 * 60_000);

    const view = await planner.request('GET', `/migrations/${id}`);
    expect(view.body.recoveryPoints.map((point: { boundary: string }) => point.boundary)).toEqual([
      'before phase 1 "expand"',
      'after phase 1 "expand"',
      'before phase 2 "backfill"',
      'after phase 2 "backfill"',
      'expanded',
      'completed (after the contract)',
    ]);
    const report = await planner.request('GET', `/migrations/${id}/report`);
    expect(report.text).toContain('## Recovery points');
    expect(report.text).toContain(`| before phase 2 "backfill" | \`${points[2].lsn}\` |`);
  });
});

/** The indexes of `lsns` sorted by the target's own pg_lsn order (stable for equal positions). */
async function lsnOrder(url: string, lsns: string[]): Promise<number[]> {
  const rows = await queryOnce<{ i: string }>(url, 'SELECT i FROM unnest($1::pg_lsn[]) WITH ORDINALITY AS t(lsn, i) ORDER BY lsn, i', [lsns]);
  return rows.map((row) => Number(row.i) - 1);
}

/** `a - b` for two LSNs (`X/Y`: the high and low 32 bits of a WAL position). */
function lsnDifference(a: string, b: string): number {
  const value = (lsn: string) => lsn.split('/').reduce((acc, part) => acc * 2n ** 32n + BigInt(`0x${part}`), 0n);
  return Number(value(a) - value(b));
}
