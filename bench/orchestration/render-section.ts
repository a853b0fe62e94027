import type { ScanFigure } from './checksum-throughput';
import type { RollbackFigure } from './rollback-latency';
import type { StepOverheadFigure } from './step-overhead';

export interface OrchestrationReport {
  date: string;
  nproc: number;
  postgres: string;
  uptimeBefore: string;
  uptimeAfter: string;
  rows: number;
  steps: StepOverheadFigure;
  rollbacks: RollbackFigure[];
  scans: ScanFigure[];
}

const ms = (value: number | null) => (value === null ? '–' : value.toFixed(value < 10 ? 1 : 0));
const n = (value: number | null) => (value === null ? '–' : value.toLocaleString('en-US'));

function judged(goal: string, met: boolean, measured: string): string {
  return `| ${goal} | ${measured} | ${met ? 'met' : '**missed**'} |`;
}

export function renderSection(report: OrchestrationReport): string {
  const { steps, rollbacks, scans } = report;
  const count = scans[0];
  const worstRollback = Math.max(...rollbacks.map((figure) => figure.commandToRolledBackMs));
  return [
    '## Orchestration',
    '',
    'Reproduce: `npm run bench:orchestration` (the six services from dist/ as separate processes, scratch event store and',
    'target databases, a bus prefix of its own; all dropped at the end).',
    '',
    `Run ${report.date}; nproc ${report.nproc}; ${report.postgres}. Machine load (\`uptime\`), shared with other work:`,
    `before \`${report.uptimeBefore}\`, after \`${report.uptimeAfter}\`. Times of the services are taken from the events' \`recorded_at\`.`,
    '',
    `### Per-step overhead: ${steps.steps} trivial \`sql\` steps chained by \`dependsOn\``,
    '',
    'Each step is `CREATE TABLE <name>_i (id integer)` (down: `DROP TABLE`). Through Bascule each step is: the planner appends',
    '`StepDispatched` and sends `sql.apply`, the schema-agent runs it in a transaction and appends `SqlStepApplied`, the relay',
    'publishes it, the planner folds the stream and dispatches the next. Directly: the same statements, each in its own',
    'transaction, on one connection.',
    '',
    `The chain runs ${steps.roundOverheadsMs.length} times in a row (a new migration each time; the first also pays the schema-agent's first`,
    `connection to the target). Overhead per step of each, in run order: ${steps.roundOverheadsMs.map((v) => `${ms(v)} ms`).join(', ')}. The tables show the median chain.`,
    'A `CHECKPOINT` just before them keeps the flush of the freshly loaded 2M rows out of the commits measured.',
    '',
    '| measure | total (ms) | per step (ms) |',
    '| --- | ---: | ---: |',
    `| Bascule: first \`StepDispatched\` → last \`SqlStepApplied\` | ${ms(steps.chainMs)} | ${ms(steps.perStepMs)} |`,
    `| Bascule: \`MigrationStarted\` → \`MigrationExpanded\` (adds the phase's baseline and gate) | ${ms(steps.startToExpandedMs)} | ${ms(steps.startToExpandedMs / steps.steps)} |`,
    `| direct: ${steps.steps} statements through pg | ${ms(steps.directMs)} | ${ms(steps.directPerStepMs)} |`,
    `| **overhead per step** (Bascule − direct) | | **${ms(steps.overheadPerStepMs)}** |`,
    '',
    'Where the time goes, per step (p50 / p90 / max, ms):',
    '',
    '| segment | p50 | p90 | max |',
    '| --- | ---: | ---: | ---: |',
    `| \`StepDispatched\` → its \`SqlStepApplied\` (command to the schema-agent, statement, append) | ${ms(steps.dispatchToApplied.p50)} | ${ms(steps.dispatchToApplied.p90)} | ${ms(steps.dispatchToApplied.max)} |`,
    `| \`SqlStepApplied\` → next \`StepDispatched\` (relay to JetStream, planner folds and decides) | ${ms(steps.appliedToNextDispatch.p50)} | ${ms(steps.appliedToNextDispatch.p90)} | ${ms(steps.appliedToNextDispatch.max)} |`,
    '',
    'The first segment holds the schema-agent\'s work (pull from the commands stream, the statement in a transaction, the',
    'append of its outcome); the second the hop back (outbox relay to JetStream, delivery to the planner, fold of the stream,',
    'append of the next `StepDispatched`). Both are paid once per step of a chain; steps of one wave run in parallel.',
    '',
    `### On-call command → \`rolled_back\`, alter_column \`abalance\` integer → bigint on ${n(report.rows)} rows (\`pgbench -i -s 20\`)`,
    '',
    'The command is published like `nats pub <prefix>.cmd.rollback \'{...}\'` (core NATS, no headers). "Command → rolled_back"',
    "runs from just before the publish to `MigrationRolledBack`'s record time; the rollback-manager's own figure runs from",
    'receiving the command. The restoration check (`DataCompared` label `restoration`, checksums of the table against the',
    'pre-migration baseline) comes after `rolled_back`.',
    '',
    '| rollback | backfill rows done when sent (last checkpoint) | command → rolled_back (ms) | rollback-manager (ms) | then restoration verified in (ms) | restoration |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rollbacks.map(
      (figure) =>
        `| ${figure.when} | ${figure.when === 'after expanded' ? 'all (backfill finished)' : figure.rowsDone === null ? '–' : `${n(figure.rowsDone)} of ~${n(figure.rowsTotal)}`} | ${ms(figure.commandToRolledBackMs)} | ${ms(figure.managerMs)} | ${ms(figure.verificationMs)} | ${figure.restorationPassed === null ? 'not recorded' : figure.restorationPassed ? 'identical' : '**differs**'} |`,
    ),
    '',
    `### Checksum throughput on the same ${n(report.rows)} rows (warm cache, best of 3)`,
    '',
    '| scan | time (ms) | rows/s | vs `count(*)` |',
    '| --- | ---: | ---: | ---: |',
    ...scans.map((scan) => `| ${scan.what} | ${ms(scan.ms)} | ${n(scan.rowsPerSecond)} | ${(scan.ms / count.ms).toFixed(1)}× |`),
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    judged('per-step overhead < 20 ms', steps.overheadPerStepMs < 20, `${ms(steps.overheadPerStepMs)} ms (median of ${steps.roundOverheadsMs.length} chains)`),
    judged('on-call command → rolled_back < 1 s during an expand', worstRollback < 1000, `${ms(worstRollback)} ms (worst of ${rollbacks.length})`),
    '',
  ].join('\n');
}
