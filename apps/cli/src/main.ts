import { buildProgram } from './program';

buildProgram(process.argv)
  .then((program) => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    // One line, no stack: a CLI user needs what failed, not our call sites.
    process.stderr.write(`bascule: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
