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
