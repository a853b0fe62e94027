import { Command, Option } from 'commander';
import { lintMigration, loadMigrationFile, type Migration } from '@bascule/schema-engine';
import { positiveInteger } from './schema/database-url';
import { formatPlan } from './schema/plan-output';
import { EXIT } from './schema/schema-exit';
import { reportFailure, withSchemaEngine, type ConnectionFlags } from './schema/schema-runner';
import { formatStatus } from './schema/status-output';

/** Commander's own usage errors (unknown flag, missing argument) are invalid input: exit 2. */
function usageExit(command: Command): Command {
  return command.exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.invalid));
}

function withConnection(command: Command, backfill = false): Command {
  command
    .option('--database-url <url>', 'target database (env DATABASE_URL)')
    .option('--schema <name>', 'schema to migrate', 'public')
    .option('--json', 'machine-readable output (one JSON document; progress as JSON lines on stderr)')
    .addOption(new Option('--lock-timeout <ms>', 'lock_timeout of every statement').argParser(positiveInteger('--lock-timeout')));
  if (backfill) {
    command
      .addOption(new Option('--batch-size <rows>', 'backfill rows per batch (default 5000)').argParser(positiveInteger('--batch-size')))
      .addOption(new Option('--batch-delay <ms>', 'pause between backfill batches').argParser(positiveInteger('--batch-delay', 0)));
  }
  return usageExit(command);
}

/** Loads a migration file, reporting an unreadable or invalid file as exit 2. */
async function loadOrReport(file: string, json: boolean | undefined): Promise<Migration | null> {
  try {
    return await loadMigrationFile(file);
  } catch (error) {
    reportFailure(error, json);
    return null;
  }
}

function output(flags: ConnectionFlags, json: unknown, human: string, print: (text: string) => void): void {
  print(flags.json ? JSON.stringify(json) : human);
}

/**
 * `bascule schema …`: the pgroll-format schema engine on one database (ARCHITECTURE "Schema engine
 * CLI"). Exit codes: 0 ok, 2 invalid input, 3 refused (lock timeout, another active migration),
 * 1 failed.
 */
export function registerSchemaCommands(program: Command): void {
  const schema = usageExit(program.command('schema').description('zero-downtime expand/contract schema migrations (pgroll format)'));

  withConnection(
    schema
      .command('start')
      .description('start a migration: expand, create its version schema, backfill')
      .argument('<file>', 'migration file (.yaml, .yml, .json); its name is the file name')
      .option('--complete', 'complete right after start'),
    true,
  ).action(async (file: string, flags: ConnectionFlags & { complete?: boolean }) => {
    const migration = await loadOrReport(file, flags.json);
    if (!migration) return;
    await withSchemaEngine(flags, async ({ engine, signal, print }) => {
      const result = await engine.start(migration, { complete: flags.complete === true, signal });
      const verb = result.alreadyActive ? 'was already active' : result.completed ? 'started and completed' : 'started';
      output(flags, { ok: true, ...result }, `migration ${result.migration} ${verb}; new version schema: ${result.versionSchema}`, print);
    });
  });

  withConnection(schema.command('complete').description('complete the active migration: contract, drop the previous version'), true).action(
    async (flags: ConnectionFlags) => {
      await withSchemaEngine(flags, async ({ engine, signal, print }) => {
        const result = await engine.complete({ signal });
        output(flags, { ok: true, ...result }, `migration ${result.migration} completed; current version schema: ${result.versionSchema}`, print);
      });
    },
  );

  withConnection(schema.command('rollback').description('roll back the active migration')).action(async (flags: ConnectionFlags) => {
    await withSchemaEngine(flags, async ({ engine, print }) => {
      const result = await engine.rollback();
      output(flags, { ok: true, ...result }, `migration ${result.migration} rolled back; ${result.versionSchema} dropped`, print);
    });
  });

  withConnection(schema.command('status').description('the active migration and the history of this schema')).action(
    async (flags: ConnectionFlags) => {
      await withSchemaEngine(flags, async ({ engine, print }) => {
        const status = await engine.status();
        output(flags, status, formatStatus(status), print);
      });
    },
  );

  withConnection(
    schema
      .command('migrate')
      .description('start every migration file of DIR not yet completed, in name order')
      .argument('<dir>', 'directory of migration files')
      .option('--complete', 'also complete the last one'),
    true,
  ).action(async (dir: string, flags: ConnectionFlags & { complete?: boolean }) => {
    await withSchemaEngine(flags, async ({ engine, signal, print }) => {
      const result = await engine.migrate(dir, { complete: flags.complete === true, signal });
      const human =
        result.applied.length === 0
          ? 'nothing to migrate'
          : `applied ${result.applied.join(', ')}${result.active ? `; ${result.active} is active (complete it when the old version is gone)` : ''}`;
      output(flags, { ok: true, ...result }, human, print);
    });
  });

  withConnection(
    schema
      .command('validate')
      .description('check a migration file (and, with a database, against the live schema); changes nothing')
      .argument('<file>', 'migration file'),
  ).action(async (file: string, flags: ConnectionFlags) => {
    const migration = await loadOrReport(file, flags.json);
    if (!migration) return;
    if (!flags.databaseUrl && !process.env.DATABASE_URL) {
      output(flags, { ok: true, migration: migration.name, issues: [] }, `${migration.name}: valid (format only; give --database-url to check the live schema)`, (t) =>
        process.stdout.write(`${t}\n`),
      );
      return;
    }
    await withSchemaEngine(flags, async ({ engine, print }) => {
      const issues = await engine.validate(migration);
      const findings = await lintMigration(migration);
      const human = [
        issues.length === 0 ? `${migration.name}: valid` : `${migration.name}: ${issues.length} problem(s)`,
        ...issues.map((issue) => `  ${issue.path}: ${issue.message} [${issue.code}]`),
        ...findings.map((f) => `  ${f.path} line ${f.line}: ${f.level} ${f.rule}: ${f.message}${f.help ? ` (${f.help})` : ''}`),
      ].join('\n');
      output(flags, { ok: issues.length === 0, migration: migration.name, issues, lint: findings }, human, print);
      if (issues.length > 0) process.exitCode = EXIT.invalid;
    });
  });

  withConnection(
    schema
      .command('plan')
      .description('print the SQL of start, complete and rollback against the live schema; changes nothing')
      .argument('<file>', 'migration file'),
  ).action(async (file: string, flags: ConnectionFlags) => {
    const migration = await loadOrReport(file, flags.json);
    if (!migration) return;
    await withSchemaEngine(flags, async ({ engine, print }) => {
      const plan = await engine.plan(migration);
      output(flags, plan, formatPlan(plan), print);
    });
  });
}
