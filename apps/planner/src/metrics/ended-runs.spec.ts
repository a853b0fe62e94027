import type { MigrationSpec } from '@bascule/contracts';
import { foldMigration, foldOnto, type FoldableEvent, type MigrationState } from '@bascule/orchestration';
import { endedRuns, runSnapshot, type EndedRun } from './ended-runs';

const spec: MigrationSpec = {
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { schema: 'public', operations: [{ add_column: { table: 't', column: { name: 'c', type: 'int', nullable: true } } }] } },
        { id: 'seed', dependsOn: ['widen'], sql: { up: 'select 1', down: 'select 2' } },
      ],
    },
    { name: 'check', steps: [{ id: 'integrity', verify: { tables: ['t'], checksums: true } }] },
  ],
};

/** Migration m1's stream; event n is recorded at n seconds. */
class Stream {
  private readonly events: FoldableEvent[] = [];
  readonly state: MigrationState;

  constructor() {
    this.events.push(this.event('MigrationPlanned', { name: 'demo', target: 'app', spec, plan: { phases: [], tables: [], risks: [], estimatedSeconds: null }, requestedBy: 'ana' }));
    this.state = foldMigration(this.events);
  }

  /** Folds the events onto the state and returns the runs they ended. */
  add(...events: Array<[string, Record<string, unknown>]>): EndedRun[] {
    const before = runSnapshot(this.state);
    const added: FoldableEvent[] = [];
    for (const [type, data] of events) {
      added.push(this.event(type, data));
      this.events.push(added[added.length - 1]);
    }
    foldOnto(this.state, added);
    return endedRuns(before, this.state, new Date(1_000 * this.events.length));
  }

  private event(type: string, data: Record<string, unknown>): FoldableEvent {
    const version = this.events.length + 1;
    return { type, data: { migrationId: 'm1', ...data }, streamVersion: version, recordedAt: new Date(1_000 * version) };
  }
}

const started = (stream: Stream) =>
  stream.add(['MigrationStarted', { requestedBy: 'ana' }], ['PhaseStarted', { phaseIndex: 0, phase: 'expand' }], ['StepDispatched', { phaseIndex: 0, stepId: 'widen', kind: 'schema', commandId: 'c1' }]);

describe('endedRuns', () => {
  it('counts nothing while steps and phases run', () => {
    expect(started(new Stream())).toEqual([]);
  });

  it('times a step from its dispatch to its success, and a phase to its completion', () => {
    const stream = new Stream();
    started(stream); // phase started at 3 s, widen dispatched at 4 s
    expect(stream.add(['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'v', durationMs: 1 }])).toEqual([
      { of: 'step', kind: 'schema', outcome: 'succeeded', seconds: 1 },
    ]);
    const ended = stream.add(
      ['StepDispatched', { phaseIndex: 0, stepId: 'seed', kind: 'sql', commandId: 'c2' }],
      ['SqlStepApplied', { stepId: 'seed', target: 'app', durationMs: 1, rowsAffected: 0 }],
      ['PhaseCompleted', { phaseIndex: 0, phase: 'expand', durationMs: 5_000 }],
    );
    expect(ended).toEqual([
      { of: 'step', kind: 'sql', outcome: 'succeeded', seconds: 1 },
      { of: 'phase', outcome: 'succeeded', seconds: 5 },
    ]);
    // Folding more of the same stream never counts a run twice.
    expect(stream.add(['PhaseStarted', { phaseIndex: 1, phase: 'check' }])).toEqual([]);
  });

  it('counts a failed step and its failed phase', () => {
    const stream = new Stream();
    started(stream);
    const ended = stream.add(['SchemaStepFailed', { stepId: 'widen', target: 'app', schema: 'public', phase: 'start', code: 'lock_timeout', message: 'boom' }]);
    expect(ended).toEqual([
      { of: 'step', kind: 'schema', outcome: 'failed', seconds: 1 },
      { of: 'phase', outcome: 'failed', seconds: 2 },
    ]);
  });

  it('counts a step in flight and its phase as rolled_back when a rollback takes over, and a succeeded step only once', () => {
    const stream = new Stream();
    started(stream);
    stream.add(['SchemaStepExpanded', { stepId: 'widen', target: 'app', schema: 'public', versionSchema: 'v', durationMs: 1 }]);
    stream.add(['StepDispatched', { phaseIndex: 0, stepId: 'seed', kind: 'sql', commandId: 'c2' }]); // seed dispatched at 6 s
    const compensation = [
      { stepId: 'seed', kind: 'sql', action: 'sql.revert', commandId: 'r1' },
      { stepId: 'widen', kind: 'schema', action: 'schema.rollback', commandId: 'r2' },
    ];
    const ended = stream.add(['RollbackStarted', { trigger: 'on-call', reason: 'latency', requestedBy: 'bob', receivedAt: new Date(9_000).toISOString(), compensation }]);
    expect(ended).toEqual([
      { of: 'step', kind: 'sql', outcome: 'rolled_back', seconds: 3 },
      { of: 'phase', outcome: 'rolled_back', seconds: 6 },
    ]);
    expect(stream.add(['SqlStepReverted', { stepId: 'seed', target: 'app', durationMs: 1 }], ['SchemaStepRolledBack', { stepId: 'widen', target: 'app', schema: 'public', durationMs: 1 }])).toEqual([]);
  });
});
