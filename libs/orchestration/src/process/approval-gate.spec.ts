import type { MigrationPlan, MigrationSpec, MigrationStep, PlannedStep } from '@bascule/contracts';
import { allSteps } from '../state/migration-state';
import { demoSpec, MigrationStream as Stream } from '../testing/migration-stream';
import { approvalReasonOf } from './approval-gate';
import type { ProcessDecision } from './process-decision';

const names = (decision: ProcessDecision) => ({ events: decision.events.map((e) => e.type), commands: decision.commands.map((c) => c.definition) });

const document = (version: string) => ({ openapi: '3.0.3', info: { title: 'shop', version }, paths: {} });
const shopV2: MigrationStep = {
  id: 'shop-v2',
  api: {
    service: 'shop',
    router: { kind: 'embedded', listen: '127.0.0.1:8080' },
    from: { version: 'v1', upstream: 'http://127.0.0.1:8081', openapi: document('1') },
    to: { version: 'v2', upstream: 'http://127.0.0.1:8082', openapi: document('2') },
    canary: { steps: [5, 25, 50, 100], interval: '30s' },
    breaking: 'approve',
  },
};
const spec: MigrationSpec = { ...demoSpec, phases: [{ name: 'traffic', steps: [shopV2] }] };

/** The plan `POST /migrations` records; `requiresApproval` is what the contract gate decided. */
function planFor(requiresApproval?: PlannedStep['requiresApproval']): MigrationPlan {
  const step: PlannedStep = {
    id: 'shop-v2',
    kind: 'api',
    dependsOn: [],
    wave: 0,
    summary: 'api shop: v1 → v2',
    compensation: { action: 'api.rollback', description: 'traffic back on v1' },
    tables: [],
    estimate: { rows: null, backfillSeconds: null },
    risks: [],
    ...(requiresApproval ? { requiresApproval } : {}),
  };
  return { phases: [{ name: 'traffic', steps: [step] }], tables: [], risks: [], estimatedSeconds: null };
}

const breakingContract = { reason: 'breaking_contract' as const, message: 'v2 of shop breaks clients of v1' };

function started(plan: MigrationPlan): Stream {
  const s = new Stream(spec, plan).add('MigrationStarted', { requestedBy: 'ana' });
  expect(names(s.step())).toEqual({ events: ['PhaseStarted'], commands: [] });
  return s;
}

describe('approval gate of api steps', () => {
  it('holds an api step planned with breaking changes (breaking: approve) before api.start, until someone approves it', () => {
    const s = started(planFor(breakingContract));
    const held = s.step();
    expect(names(held)).toEqual({ events: ['StepApprovalRequested'], commands: [] });
    expect(held.events[0]?.data).toMatchObject({ stepId: 'shop-v2', reason: 'breaking_contract', startedBy: 'ana' });
    expect(s.state.phases[0]?.steps[0]?.status).toBe('waiting_approval');
    expect(s.state.history.at(-1)?.summary).toBe('step "shop-v2" breaks its API contract: waits for an approval by someone other than ana');
    expect(names(s.step())).toEqual({ events: [], commands: [] }); // asked once; nothing goes out while it waits

    s.add('StepApproved', { stepId: 'shop-v2', approvedBy: 'bo' });
    const dispatched = s.step();
    expect(names(dispatched)).toEqual({ events: ['StepDispatched'], commands: ['api.start'] });
    expect(dispatched.commands[0]?.payload).toEqual({ migrationId: 'm1', stepId: 'shop-v2', target: 'app', commandId: dispatched.events[0]?.data['commandId'] });
    s.add('ApiStepPromoted', { stepId: 'shop-v2', service: 'shop', shares: { v1: 0, v2: 100 }, durationMs: 120_000 });
    expect(names(s.step())).toEqual({ events: ['PhaseCompleted'], commands: [] });
  });

  it('dispatches an api step at once when its plan asks for no approval (allow, or nothing breaking)', () => {
    const s = started(planFor());
    expect(names(s.step())).toEqual({ events: ['StepDispatched'], commands: ['api.start'] });
    expect(s.state.phases[0]?.steps[0]?.status).toBe('running');
  });

  it('names the reason a step waits for, and none for steps that need no approval', () => {
    const reasonOf = (stream: Stream) => {
      const { state } = stream;
      const [step] = allSteps(state);
      if (!step) throw new Error('the spec has no step');
      return approvalReasonOf(state, step);
    };
    expect(reasonOf(new Stream(spec, planFor(breakingContract)))).toBe('breaking_contract');
    expect(reasonOf(new Stream(spec, planFor()))).toBeNull();
    expect(reasonOf(new Stream({ ...demoSpec, phases: [{ name: 'p', steps: [{ id: 'purge', sql: { up: 'DROP TABLE t', irreversible: true } }] }] }))).toBe('irreversible');
  });
});
