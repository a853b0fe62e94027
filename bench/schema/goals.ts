import type { BackfillFigure } from './render-section';
import type { ScenarioFigure } from './scenarios';

const STALL_LIMIT_MS = 150;

/** The goals, each stated as met or missed with the figures it was judged on. */
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

export function judgeGoals(
  control: ScenarioFigure,
  bascule: ScenarioFigure,
  basculeBackfill: BackfillFigure,
  update: BackfillFigure,
  throughput: { backfillTps: number; controlTps: number },
): string[] {
  // Aborted clients stop sending load, so the stall figures would only cover the time before they died.
  const stallVerdict = (ok: boolean) => (bascule.abortedClients > 0 ? '**not judged** (pgbench clients aborted)' : verdict(ok));
  const stallRatio = bascule.maxMs / control.maxMs;
  const backfillShare = basculeBackfill.rowsPerSecond / update.rowsPerSecond;
  const tpsShare = throughput.backfillTps / throughput.controlTps;
  return [
    `Worst stall ≤ 2× control (${bascule.maxMs.toFixed(1)} ms vs 2 × ${control.maxMs.toFixed(1)} ms, ratio ${stallRatio.toFixed(2)}): ${stallVerdict(stallRatio <= 2)}`,
    `Worst stall < ${STALL_LIMIT_MS} ms (${bascule.maxMs.toFixed(1)} ms): ${stallVerdict(bascule.maxMs < STALL_LIMIT_MS)}`,
    `Zero failed transactions under Bascule (${bascule.failed} failed, ${bascule.abortedClients} aborted clients): ${verdict(bascule.failed === 0 && bascule.abortedClients === 0)}`,
    `Backfill ≥ 90 % of one UPDATE's rows/s (${(backfillShare * 100).toFixed(0)} %): ${verdict(backfillShare >= 0.9)}`,
    `Application throughput during the backfill ≥ 80 % of the control's (${throughput.backfillTps} vs ${throughput.controlTps} transactions/s, ` +
      `${(tpsShare * 100).toFixed(0)} %): ${verdict(tpsShare >= 0.8)}`,
  ];
}
