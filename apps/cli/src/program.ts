import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * The command groups, each with the top-level commands it adds. A group is loaded only when its
 * command is asked for: `bascule rollback` on call should not first load the services' stack
 * (Nest, the OpenTelemetry SDK, TypeORM) that `up` and `demo` need. Help and unknown commands load
 * every group, in this order.
 */
const GROUPS: ReadonlyArray<{ commands: readonly string[]; load: () => Promise<Register> }> = [
  { commands: ['up'], load: async () => (await import('./commands/up.command')).registerUpCommand },
  { commands: ['demo'], load: async () => (await import('./commands/demo/demo.command')).registerDemoCommand },
  { commands: ['schema'], load: async () => (await import('./commands/schema.command')).registerSchemaCommands },
  { commands: ['events'], load: async () => (await import('./commands/events.command')).registerEventsCommands },
  { commands: ['migrations', 'rollback', 'pause', 'resume', 'complete'], load: async () => (await import('./commands/migrations/migrations.command')).registerOnCallCommands },
];

/** The `bascule` command line for `argv` (as `process.argv`: node, script, then the arguments). */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('bascule')
    .description('zero-downtime, reversible Postgres and API migrations')
    .showHelpAfterError();
  const asked = GROUPS.filter((group) => group.commands.includes(argv[2] ?? ''));
  for (const group of asked.length > 0 ? asked : GROUPS) (await group.load())(program);
  return program;
}
