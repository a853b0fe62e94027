import { MigrationStep } from '@bascule/contracts';
import type { StoredEvent } from '@bascule/event-store';
import { foldMigration } from '@bascule/orchestration';
import { shopDocument } from '../testing/shop-documents';
import { storedEvents } from '../testing/stored-events';
import { routersToRestore } from './routers-to-restore';

const step = (router: Record<string, unknown>, from = 'v1', to = 'v2') =>
  MigrationStep.parse({
    id: 'shop-step',
    api: {
      service: 'shop',
      router,
      from: { version: from, upstream: 'http://127.0.0.1:8081', openapi: shopDocument('1') },
      to: { version: to, upstream: 'http://127.0.0.1:8082', openapi: shopDocument('1') },
    },
  });

/** A migration with one api step and, after it was planned, `facts` about that step. */
function migration(id: string, apiStep: ReturnType<typeof step>, facts: Array<[string, Record<string, unknown>]>, startAt = 0) {
  const spec = { name: id, target: 'app', rehearse: false, rollback: { automatic: true, window: '1h' }, phases: [{ name: 'api', steps: [apiStep] }] };
  const events: StoredEvent[] = storedEvents(
    id,
    ['MigrationPlanned', { name: id, target: 'app', spec, plan: { phases: [], tables: [], risks: [], estimatedSeconds: null }, requestedBy: 'ana' }],
    ...facts.map(([type, data]): [string, Record<string, unknown>] => [type, { stepId: 'shop-step', service: 'shop', ...data }]),
  ).map((event, index) => ({ ...event, globalPosition: BigInt(startAt + index + 1) }));
  return { state: foldMigration(events), events };
}

const embedded = { kind: 'embedded', listen: '127.0.0.1:8080' };

describe('routersToRestore', () => {
  it('gives back the shares recorded last: mid-canary, promoted, failed, rolled back', () => {
    const cases: Array<[Array<[string, Record<string, unknown>]>, Record<string, number>]> = [
      [[['ApiTrafficShifted', { canaryStep: 1, shares: { v1: 75, v2: 25 } }]], { v1: 75, v2: 25 }],
      [[['ApiStepPromoted', { shares: { v1: 0, v2: 100 }, durationMs: 1 }]], { v1: 0, v2: 100 }],
      [[['ApiTrafficShifted', { canaryStep: 0, shares: { v1: 95, v2: 5 } }], ['ApiStepFailed', { phase: 'canary', code: 'canary_failed', message: 'slow', shares: { v1: 95, v2: 5 } }]], { v1: 95, v2: 5 }],
      [[['ApiTrafficShifted', { canaryStep: 0, shares: { v1: 95, v2: 5 } }], ['ApiStepRolledBack', { shares: { v1: 100, v2: 0 }, durationMs: 1 }]], { v1: 100, v2: 0 }],
    ];
    for (const [facts, shares] of cases) {
      expect(routersToRestore([migration('m1', step(embedded), facts)])).toEqual([
        { owner: { migrationId: 'm1', stepId: 'shop-step' }, body: expect.objectContaining({ service: 'shop' }), shares },
      ]);
    }
  });

  it('restores nothing for a step that never moved traffic, nor for HAProxy (which routes on its own)', () => {
    expect(routersToRestore([migration('m1', step(embedded), [['ApiStepFailed', { phase: 'canary', code: 'INVALID_OPENAPI', message: 'x', shares: null }]])])).toEqual([]);
    expect(routersToRestore([migration('m2', step({ kind: 'haproxy', socket: '/run/haproxy.sock', backend: 'shop' }), [['ApiStepPromoted', { shares: { v1: 0, v2: 100 }, durationMs: 1 }]])])).toEqual([]);
  });

  it('gives an address to the step that moved traffic there last', () => {
    const first = migration('m1', step(embedded), [['ApiStepPromoted', { shares: { v1: 0, v2: 100 }, durationMs: 1 }]]);
    const second = migration('m2', step(embedded, 'v2', 'v3'), [['ApiTrafficShifted', { canaryStep: 0, shares: { v2: 95, v3: 5 } }]], 10);
    expect(routersToRestore([second, first]).map((router) => [router.owner.migrationId, router.shares])).toEqual([['m2', { v2: 95, v3: 5 }]]);
    expect(routersToRestore([first, second]).map((router) => router.owner.migrationId)).toEqual(['m2']);
  });
});
