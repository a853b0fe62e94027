import type { MigrationState } from '@bascule/orchestration';
import type { PlannerClient } from '../migrations/planner-client';

/** What each act of the demo needs: where things are and how to talk. */
export interface DemoContext {
  root: string;
  natsUrl: string;
  planner: PlannerClient;
  signal: AbortSignal;
  say: (line?: string) => void;
  /** Prints a progress line with the seconds since `since`. */
  progress: (since: number) => (line: string, state: MigrationState) => void;
}

export const count = (value: number): string => value.toLocaleString('en-US');
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function progressPrinter(say: (line: string) => void): DemoContext['progress'] {
  return (since) => (line) => say(`    [${((Date.now() - since) / 1000).toFixed(1).padStart(5)} s] ${line}`);
}
