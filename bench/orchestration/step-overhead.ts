import { Client } from 'pg';
import { statusIs, watchMigration } from '../../apps/cli/src/commands/migrations/migration-watch';
import type { BenchStack } from './bench-stack';

export const STEPS = 50;
/** Chains run one after another; the figure reported is the median one (the first also pays the agent's first connection to the target). */
export const ROUNDS = 3;

export interface StepOverheadFigure {
  steps: number;
  /** First StepDispatched → last SqlStepApplied, from the events' record times. */
  chainMs: number;
  /** MigrationStarted → MigrationExpanded (adds the phase's baseline and gate). */
  startToExpandedMs: number;
  /** The same 50 up statements, each in its own transaction, straight through pg. */
  directMs: number;
  perStepMs: number;
  directPerStepMs: number;
  overheadPerStepMs: number;
  /** StepDispatched → its SqlStepApplied: command delivery to the schema-agent plus the statement. */
  dispatchToApplied: Spread;
  /** SqlStepApplied → the next StepDispatched: relay to JetStream, planner's fold and decision. */
  appliedToNextDispatch: Spread;
  /** Overhead per step of every chain, in run order (this figure is the median one). */
  roundOverheadsMs: number[];
}

export interface Spread {
  p50: number;
  p90: number;
  max: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
  return { p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] ?? 0 };
}

const upOf = (prefix: string, i: number) => `CREATE TABLE ${prefix}_${i} (id integer)`;

/** 50 sql steps in one phase, each depending on the one before: strictly sequential, so each costs one full round. */
export function chainSpec(prefix: string) {
  return {
    name: `bench-${prefix}`,
    target: 'app',
    phases: [
      {
        name: 'chain',
        steps: Array.from({ length: STEPS }, (_, i) => ({
          id: `s${i}`,
          ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
          sql: { up: upOf(prefix, i), down: `DROP TABLE ${prefix}_${i}` },
        })),
      },
    ],
    rollback: { automatic: true, window: '72h' },
  };
}

async function direct(targetUrl: string, prefix: string): Promise<number> {
  const client = new Client({ connectionString: targetUrl });
  await client.connect();
  try {
    const began = performance.now();
    for (let i = 0; i < STEPS; i += 1) {
      await client.query('BEGIN');
      await client.query(upOf(prefix, i));
      await client.query('COMMIT');
    }
    return performance.now() - began;
  } finally {
    await client.end();
  }
}

export async function measureStepOverhead(stack: BenchStack): Promise<StepOverheadFigure> {
  const rounds: Omit<StepOverheadFigure, 'roundOverheadsMs'>[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) rounds.push(await measureChain(stack, round));
  const median = [...rounds].sort((a, b) => a.overheadPerStepMs - b.overheadPerStepMs)[Math.floor(rounds.length / 2)];
  return { ...median, roundOverheadsMs: rounds.map((r) => r.overheadPerStepMs) };
}

async function measureChain(stack: BenchStack, round: number): Promise<Omit<StepOverheadFigure, 'roundOverheadsMs'>> {
  const posted = await stack.planner.plan(chainSpec(`orch${round}`));
  await stack.planner.send(posted.id, 'start');
  await watchMigration(stack.planner, posted.id, { until: statusIs('expanded'), wanted: `expanded (logs ${stack.logDir})`, timeoutMs: 300_000, intervalMs: 500 });
  const events = await stack.stream(posted.id);
  const at = (type: string, pick: 'first' | 'last') => {
    const matching = events.filter((event) => event.type === type);
    const event = pick === 'first' ? matching[0] : matching[matching.length - 1];
    if (!event) throw new Error(`no ${type} in migration ${posted.id}`);
    return event.recordedAt.getTime();
  };
  const chainMs = at('SqlStepApplied', 'last') - at('StepDispatched', 'first');
  const startToExpandedMs = at('MigrationExpanded', 'last') - at('MigrationStarted', 'first');
  const recorded = (type: string, stepId: string) =>
    events.find((event) => event.type === type && (event.data as { stepId?: string }).stepId === stepId)?.recordedAt.getTime() ?? NaN;
  const stepIds = Array.from({ length: STEPS }, (_, i) => `s${i}`);
  const dispatchToApplied = spread(stepIds.map((id) => recorded('SqlStepApplied', id) - recorded('StepDispatched', id)));
  const appliedToNextDispatch = spread(stepIds.slice(1).map((id, i) => recorded('StepDispatched', id) - recorded('SqlStepApplied', stepIds[i])));
  const directMs = await direct(stack.target.url, `direct${round}`);
  const perStepMs = chainMs / STEPS;
  const directPerStepMs = directMs / STEPS;
  return {
    steps: STEPS,
    chainMs,
    startToExpandedMs,
    directMs,
    perStepMs,
    directPerStepMs,
    overheadPerStepMs: perStepMs - directPerStepMs,
    dispatchToApplied,
    appliedToNextDispatch,
  };
}
