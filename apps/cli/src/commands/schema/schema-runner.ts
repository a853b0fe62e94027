import { SchemaEngine, type SchemaEngineOptions } from '@bascule/schema-engine';
import { progressReporter } from './backfill-progress.reporter';
import { databaseUrlFrom } from './database-url';
import { errorCodeOf, EXIT, exitCodeFor, oneLineMessage } from './schema-exit';

/** Flags every database-touching `schema` command accepts. */
export interface ConnectionFlags {
  databaseUrl?: string;
  schema: string;
  json?: boolean;
  lockTimeout?: number;
  batchSize?: number;
  batchDelay?: number;
}

export interface SchemaCommandContext {
  engine: SchemaEngine;
  /** Aborted on Ctrl-C: a running backfill stops between batches and keeps its checkpoint. */
  signal: AbortSignal;
  print(text: string): void;
}

function engineOptions(flags: ConnectionFlags, onProgress: SchemaEngineOptions['onProgress']): SchemaEngineOptions {
  return {
    databaseUrl: databaseUrlFrom(flags.databaseUrl),
    schema: flags.schema,
    ...(flags.lockTimeout === undefined ? {} : { lockTimeoutMs: flags.lockTimeout }),
    backfill: {
      ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
      ...(flags.batchDelay === undefined ? {} : { delayMs: flags.batchDelay }),
    },
    onProgress,
  };
}

/** Reports a failure as one line (and as JSON with --json) and sets the exit code. */
export function reportFailure(error: unknown, json: boolean | undefined): void {
  const message = oneLineMessage(error);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: errorCodeOf(error), message } })}\n`);
  process.stderr.write(`bascule: ${message}\n`);
  process.exitCode = exitCodeFor(error);
}

/**
 * Runs one `schema` command with an engine and maps any error to its exit code. The engine's pool
 * is always closed, so the process ends by itself.
 */
export async function withSchemaEngine(flags: ConnectionFlags, work: (ctx: SchemaCommandContext) => Promise<void>): Promise<void> {
  const progress = progressReporter(flags.json === true);
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  let engine: SchemaEngine | null = null;
  try {
    engine = new SchemaEngine(engineOptions(flags, (p) => progress.onProgress(p)));
    // Before the work: a command may lower its own verdict (validate finding problems exits 2).
    process.exitCode = EXIT.ok;
    await work({ engine, signal: abort.signal, print: (text) => process.stdout.write(`${text}\n`) });
  } catch (error) {
    progress.stop();
    reportFailure(error, flags.json);
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onInterrupt);
    await engine?.close().catch(() => undefined);
  }
}
