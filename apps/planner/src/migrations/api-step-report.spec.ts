import type { MigrationPlan, MigrationSpec } from '@bascule/contracts';
import { foldMigration, type FoldableEvent } from '@bascule/orchestration';
import { apiStepProgress } from './api-step-progress';
import { migrationReport } from './migration-report';
import { migrationStatusView } from './migration-status.projection';

const document = (version: string) => ({ openapi: '3.0.3', info: { title: 'shop', version }, paths: {} });
const spec: MigrationSpec = {
  name: 'shop-v2',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [
    {
      name: 'traffic',
      steps: [
        {
          id: 'shop-v2',
          api: {
            service: 'shop',
            router: { kind: 'embedded', listen: '127.0.0.1:8080' },
            from: { version: 'v1', upstream: 'http://127.0.0.1:8081', openapi: document('1') },
            to: { version: 'v2', upstream: 'http://127.0.0.1:8082', openapi: document('2') },
            canary: { steps: [10, 100], interval: '30s' },
            breaking: 'approve',
          },
        },
      ],
    },
  ],
};
const removed = { rule: 'api-path-removed-without-deprecation', severity: 'error' as const, message: 'GET /carts: api path removed without deprecation', path: 'phases[0].steps[0].api', operation: 'GET /carts', pointer: '/paths/~1carts/get' };
const lint = { rule: 'table-without-primary-key', severity: 'warning' as const, message: 'not a contract change', path: 'phases[0].steps[0]' };
const plan: MigrationPlan = {
  phases: [
    {
      name: 'traffic',
      steps: [
        {
          id: 'shop-v2',
          kind: 'api',
          dependsOn: [],
          wave: 0,
          summary: 'api shop: v1 → v2',
          compensation: { action: 'api.rollback', description: 'traffic back on v1' },
          tables: [],
          estimate: { rows: null, backfillSeconds: null },
          risks: [removed, lint],
          requiresApproval: { reason: 'breaking_contract', message: 'v2 of shop breaks clients of v1' },
        },
      ],
    },
  ],
  tables: [],
  risks: [removed, lint],
  estimatedSeconds: null,
};

const fact = { stepId: 'shop-v2', service: 'shop' };
const traffic = (version: string, requests: number) => ({ version, requests, serverErrors: 0, contractViolations: 0, medianLatencyMs: 4 });

function stream(...rest: Array<[string, Record<string, unknown>]>): FoldableEvent[] {
  return [['MigrationPlanned', { name: 'shop-v2', target: 'app', spec, plan, requestedBy: 'ana' }] as [string, Record<string, unknown>], ...rest].map(([type, data], index) => ({
    type,
    data: { migrationId: 'm1', ...data },
    streamVersion: index + 1,
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
  }));
}

const failedCanary = stream(
  ['MigrationStarted', { requestedBy: 'ana' }],
  ['PhaseStarted', { phaseIndex: 0, phase: 'traffic' }],
  ['StepApprovalRequested', { phaseIndex: 0, stepId: 'shop-v2', reason: 'breaking_contract', startedBy: 'ana' }],
  ['StepApproved', { stepId: 'shop-v2', approvedBy: 'bo' }],
  ['StepDispatched', { phaseIndex: 0, stepId: 'shop-v2', kind: 'api', commandId: 'c1' }],
  ['ApiTrafficShifted', { ...fact, canaryStep: 0, shares: { v1: 90, v2: 10 } }],
  ['ApiCanaryJudged', { ...fact, canaryStep: 0, shares: { v1: 90, v2: 10 }, verdict: 'pass', traffic: [traffic('v1', 900), traffic('v2', 100)], reasons: ['latency: v2 median 4 ms vs v1 4 ms'] }],
  ['ApiTrafficShifted', { ...fact, canaryStep: 1, shares: { v1: 0, v2: 100 } }],
  ['ApiCanaryJudged', { ...fact, canaryStep: 1, shares: { v1: 0, v2: 100 }, verdict: 'fail', traffic: [traffic('v2', 1000)], reasons: ['errors: v2 5xx rate 7 % | over 1 %'] }],
  ['ApiStepFailed', { ...fact, phase: 'canary', code: 'canary_failed', message: 'canary step 2 failed', shares: { v1: 0, v2: 100 } }],
);

describe('api steps in the status and the report', () => {
  it('GET /migrations/:id shows the plan\'s contract changes and the canary: current shares, each verdict and its reasons', () => {
    const view = migrationStatusView(foldMigration(failedCanary), apiStepProgress(failedCanary));
    const step = view.phases[0]?.steps[0];
    expect(step).toMatchObject({ id: 'shop-v2', kind: 'api', status: 'failed', approvedBy: 'bo' });
    expect(step?.api).toEqual({
      service: 'shop',
      from: 'v1',
      to: 'v2',
      breaking: 'approve',
      requiresApproval: { reason: 'breaking_contract', message: 'v2 of shop breaks clients of v1' },
      contract: { counts: { error: 1, warning: 0, info: 0 }, changes: [{ rule: removed.rule, severity: 'error', operation: 'GET /carts', pointer: '/paths/~1carts/get', message: removed.message }] },
      canary: {
        steps: [10, 100],
        interval: '30s',
        canaryStep: 1,
        shares: { v1: 0, v2: 100 },
        judged: [
          { canaryStep: 0, shares: { v1: 90, v2: 10 }, verdict: 'pass', traffic: [traffic('v1', 900), traffic('v2', 100)], reasons: ['latency: v2 median 4 ms vs v1 4 ms'], at: '2026-01-01T00:00:07.000Z' },
          { canaryStep: 1, shares: { v1: 0, v2: 100 }, verdict: 'fail', traffic: [traffic('v2', 1000)], reasons: ['errors: v2 5xx rate 7 % | over 1 %'], at: '2026-01-01T00:00:09.000Z' },
        ],
        outcome: { kind: 'failed', at: '2026-01-01T00:00:10.000Z', phase: 'canary', code: 'canary_failed', message: 'canary step 2 failed' },
      },
    });
  });

  it('the report lists the contract changes and every judged canary step, then where traffic went back', () => {
    const events = stream(
      ...failedCanary.slice(1).map((event): [string, Record<string, unknown>] => [event.type, event.data as Record<string, unknown>]),
      ['RollbackStarted', { trigger: 'automatic', reason: 'canary failed', requestedBy: 'bascule', receivedAt: '2026-01-01T00:00:10Z', compensation: [{ stepId: 'shop-v2', kind: 'api', action: 'api.rollback', commandId: 'r1' }] }],
      ['ApiStepRolledBack', { ...fact, shares: { v1: 100, v2: 0 }, durationMs: 40 }],
    );
    const report = migrationReport(foldMigration(events), apiStepProgress(events));
    expect(report).toContain('## API steps');
    expect(report).toContain('### `shop-v2`: shop v1 → v2');
    expect(report).toContain('- Breaking changes: approve — waits for an approval: v2 of shop breaks clients of v1; approved by bo');
    expect(report).toContain('| error | api-path-removed-without-deprecation | GET /carts | `/paths/~1carts/get` | GET /carts: api path removed without deprecation |');
    expect(report).not.toContain('not a contract change');
    expect(report).toContain('| 1 | v1 90 %, v2 10 % | pass | latency: v2 median 4 ms vs v1 4 ms |');
    expect(report).toContain('| 2 | v1 0 %, v2 100 % | fail | errors: v2 5xx rate 7 % \\| over 1 % |');
    expect(report).toContain('traffic now: v1 100 %, v2 0 %');
    expect(report).toContain('- Rolled back at 2026-01-01T00:00:12.000Z in 40 ms: all traffic on the old version');
  });

  it('says so when the documents are identical, and nothing of API steps for a migration without one', () => {
    const { requiresApproval: _requiresApproval, ...planned } = plan.phases[0]?.steps[0] ?? {};
    const unchanged = { ...plan, phases: [{ name: 'traffic', steps: [{ ...planned, risks: [] }] }] };
    const events = stream().map((event) => (event.type === 'MigrationPlanned' ? { ...event, data: { ...(event.data as object), plan: unchanged } } : event));
    const report = migrationReport(foldMigration(events), apiStepProgress(events));
    expect(report).toContain('- Contract: no change between the two documents');
    expect(report).toContain('traffic now: not shifted yet');
    const noApi = stream().map((event) => ({ ...event, data: { ...(event.data as object), spec: { ...spec, phases: [{ name: 'p', steps: [{ id: 'ok', approval: {} }] }] }, plan: { ...plan, phases: [] } } }));
    expect(migrationReport(foldMigration(noApi))).not.toContain('API steps');
  });
});
