import { COMMAND_CATALOG, type MigrationPlan, type MigrationSpec } from '@bascule/contracts';
import { decideNext } from '../process/decide-next';
import type { ProcessDecision } from '../process/process-decision';
import { foldMigration, type FoldableEvent } from '../state/fold-migration';

const contractOf = (name: string) => {
  const contract = COMMAND_CATALOG.find((command) => command.name === name);
  if (!contract) throw new Error(`no contract for command ${name}`);
  return contract;
};

/** Two phases: a backfilled column, an sql step after it and an approval; then a verify step. */
export const demoSpec: MigrationSpec = {
  name: 'demo',
  target: 'app',
  rehearse: false,
  rollback: { automatic: true, window: '1h' },
  phases: [
    {
      name: 'expand',
      steps: [
        { id: 'widen', schema: { schema: 'public', operations: [{ alter_column: { table: 't', column: 'c', type: 'bigint', up: 'c', down: 'c' } }] } },
        { id: 'seed', dependsOn: ['widen'], sql: { up: 'select 1', down: 'select 2', verify: 'select 3' } },
        { id: 'ok', approval: {} },
      ],
    },
    { name: 'check', steps: [{ id: 'integrity', verify: { tables: ['t'], checksums: true } }] },
  ],
};
/** A `sql` step watched by the monitor, then an analysis step (`soak`) that holds the second phase for a minute. */
export const monitoredSpec: MigrationSpec = {
  ...demoSpec,
  monitor: {
    baseline: '30s',
    interval: '5s',
    failureLimit: 2,
    watch: '1h',
    metrics: [{ name: 'lookup', probe: { sql: 'SELECT id FROM t WHERE c = 1', every: '250ms' }, degradation: '20%', direction: 'lower-is-better' }],
  },
  phases: [
    { name: 'expand', steps: [{ id: 'seed', sql: { up: 'select 1', down: 'select 2' } }] },
    { name: 'soak', steps: [{ id: 'soak', analysis: { duration: '60s', metrics: ['lookup'] } }] },
  ],
};

/** What the monitor records before phase 0 (MonitorBaselineRecorded) for `monitoredSpec`. */
export const lookupBaseline = {
  metrics: [{ name: 'lookup', source: 'probe', direction: 'lower-is-better', samples: 120, median: 8, p95: 11, errorRate: 0, values: [7, 8, 9] }],
  durationMs: 30_000,
};

/** The one existing table the demo touches: baselined before each phase, compared after it. */
export const demoTable = { table: 'public.t', exists: true, rows: 10, bytes: 8192, primaryKey: ['id'], indexes: [], foreignKeys: [], dependentViews: [] };
export const demoPlan: MigrationPlan = { phases: [], tables: [demoTable], risks: [], estimatedSeconds: null };

/** Migration `m1`'s stream, grown by a test as the process manager and the agents would grow it. */
export class MigrationStream {
  readonly events: FoldableEvent[] = [];
  constructor(spec: MigrationSpec = demoSpec, plan: MigrationPlan = demoPlan) {
    this.add('MigrationPlanned', { name: 'demo', target: 'app', spec, plan, requestedBy: 'ana' });
  }
  add(type: string, data: Record<string, unknown> = {}): this {
    this.events.push({ type, data: { migrationId: 'm1', ...data }, streamVersion: this.events.length + 1, recordedAt: new Date(1_000 * this.events.length) });
    return this;
  }
  /** The process manager's next move; every command it sends satisfies its contract. */
  decide(now = new Date(100_000)): ProcessDecision {
    const decision = decideNext(foldMigration(this.events), now);
    for (const command of decision.commands) contractOf(command.definition).schema.parse(command.payload);
    return decision;
  }
  /** Decides and stores the decided events, as the process manager does. */
  step(now?: Date): ProcessDecision {
    const decision = this.decide(now);
    for (const event of decision.events) this.add(event.type, event.data);
    return decision;
  }
  get state() {
    return foldMigration(this.events);
  }
}
