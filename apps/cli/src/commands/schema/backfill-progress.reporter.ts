import { SingleBar } from 'cli-progress';
import type { BackfillProgress } from '@bascule/schema-engine';

export interface ProgressReporter {
  onProgress(progress: BackfillProgress): void;
  stop(): void;
}

/**
 * On a terminal: one bar per table (rows done, rows/s, ETA). Otherwise (or with --json): one JSON
 * line per checkpoint on stderr, so stdout keeps only the command's result.
 */
export function progressReporter(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (json || !stream.isTTY) {
    return {
      onProgress: (progress) => stream.write(`${JSON.stringify({ event: 'backfill_progress', ...progress })}\n`),
      stop: () => undefined,
    };
  }
  let bar: SingleBar | null = null;
  let table: string | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    onProgress(progress) {
      if (table !== progress.table) {
        stop();
        table = progress.table;
        bar = new SingleBar({
          stream,
          format: `backfill ${progress.table} [{bar}] {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}`,
          etaBuffer: 20,
        });
        bar.start(Math.max(progress.totalEstimate ?? progress.rowsDone, progress.rowsDone), progress.resumedFrom, { speed: 0 });
      }
      bar?.setTotal(Math.max(progress.totalEstimate ?? progress.rowsDone, progress.rowsDone));
      bar?.update(progress.rowsDone, { speed: progress.rowsPerSecond });
      if (progress.done) stop();
    },
    stop,
  };
}
