import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo/demo.command';
import { registerEventsCommands } from './commands/events.command';
import { registerOnCallCommands } from './commands/migrations/migrations.command';
import { registerSchemaCommands } from './commands/schema.command';
import { registerUpCommand } from './commands/up.command';

/** The `bascule` command line; each command group registers itself. */
export function buildProgram(): Command {
  const program = new Command('bascule')
    .description('zero-downtime, reversible Postgres and API migrations')
    .showHelpAfterError();
  registerUpCommand(program);
  registerDemoCommand(program);
  registerSchemaCommands(program);
  registerEventsCommands(program);
  registerOnCallCommands(program);
  return program;
}
