import { SqlLintFailedError } from './lint.error';

/**
 * Path of the native squawk executable. squawk-cli's bin is a Node wrapper that spawns the binary
 * of the platform package; calling the binary directly saves a Node start per lint.
 */
export function squawkBinaryPath(): string {
  try {
    const launcher = require('squawk-cli/js/index.js') as { getBinaryPath(): string };
    return launcher.getBinaryPath();
  } catch (error) {
    throw new SqlLintFailedError(`squawk is not installed for ${process.platform}-${process.arch}: ${(error as Error).message}`, { cause: error });
  }
}
