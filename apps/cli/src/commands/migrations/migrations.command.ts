import { Option, type Command } from 'commander';
import { followMigration, type FollowOptions } from './follow-migration';
import { registerMigrationActionCommands } from './migration-actions.command';
import { migrationDetail, migrationTable, type MigrationView } from './migration-text';
import { ON_CALL_EXIT } from './on-call-exit';
import { durationOption, emit, plannerClientFor, runOnCall, withPlannerOptions, type PlannerOptions } from './on-call-options';
import { PlannerRequestError } from './planner-client';
import { watchOutcome } from './watch-outcome';

/**
 * The commands for people on call (docs/cli.md): `bascule migrations list|show|watch|report`
 * read the planner's REST API; `rollback` publishes the on-call command on NATS; `pause`,
 * `resume` and `complete` are the planner's command routes.
 */
export function registerOnCallCommands(program: Command): void {
  const migrations = program.command('migrations').description("read migrations from the planner's REST API: list, show, watch, report");
  withPlannerOptions(migrations.command('list').description('every migration with its status (GET /migrations)')).action((options: PlannerOptions) =>
    runOnCall(options, 'list migrations', null, async () => {
      const response = await plannerClientFor(options).list();
      if (response.status !== 200) throw new PlannerRequestError('GET', '/migrations', response.status, response.text);
      const list = response.body as MigrationView[];
      emit(options, migrationTable(list), list);
      return ON_CALL_EXIT.ok;
    }),
  );
  withPlannerOptions(migrations.command('show').argument('<id>', 'migration id').description('status, phases and steps, failure and rollback of one migration (GET /migrations/:id)')).action(
    (id: string, options: PlannerOptions) =>
      runOnCall(options, `show migration ${id}`, id, async () => {
        const migration = (await plannerClientFor(options).get(id)) as unknown as MigrationView;
        emit(options, migrationDetail(migration), migration);
        return ON_CALL_EXIT.ok;
      }),
  );
  withPlannerOptions(migrations.command('report').argument('<id>', 'migration id').description('the Markdown report: what changed, timings, verification, who did what (GET /migrations/:id/report)')).action(
    (id: string, options: PlannerOptions) =>
      runOnCall(options, `report on migration ${id}`, id, async () => {
        const report = await plannerClientFor(options).report(id);
        emit(options, report.trimEnd(), { id, report });
        return ON_CALL_EXIT.ok;
      }),
  );
  withPlannerOptions(
    migrations
      .command('watch')
      .argument('<id>', 'migration id')
      .description(
        'print a line each time the status, a phase, a step or a backfill moves, until the migration rests: ' +
          'expanded or completed (exit 0), rolled_back (10), failed with no automatic rollback due or rollback_failed (11), paused (12). ' +
          'planned, running, completing, rolling_back and a failed migration about to roll itself back keep it watching',
      )
      .addOption(new Option('--interval <duration>', 'how often to ask the planner').argParser(durationOption).default(1_000, '1s'))
      .option('--timeout <duration>', 'give up after this long (exit 13); default: never', durationOption),
  ).action((id: string, options: FollowOptions) => runOnCall(options, `watch migration ${id}`, id, () => followMigration(id, options, watchOutcome)));
  registerMigrationActionCommands(program);
}
