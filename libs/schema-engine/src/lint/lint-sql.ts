import { spawn } from 'node:child_process';
import type { LintFinding } from './lint-finding';
import { SqlLintFailedError } from './lint.error';
import { SAFE_ALTERNATIVES } from './safe-alternatives';
import { squawkBinaryPath } from './squawk-binary';

export interface LintOptions {
  /** Postgres version the SQL targets, e.g. `15` or `15.4` (squawk adapts rules, e.g. NOT NULL via checks on 12+). */
  pgVersion?: string;
  /** Rules to skip, e.g. `require-lock-timeout` when the executor sets lock_timeout itself. */
  exclude?: string[];
  /** Treat the SQL as running inside a transaction (squawk then flags CONCURRENTLY inside one). */
  assumeInTransaction?: boolean;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
}

interface SquawkViolation {
  line: number;
  column: number;
  line_end: number;
  column_end: number;
  level: string;
  message: string;
  help: string | null;
  rule_name: string;
}

function toFinding(violation: SquawkViolation): LintFinding {
  return {
    rule: violation.rule_name,
    level: violation.level.toLowerCase() === 'error' ? 'error' : 'warning',
    message: violation.message,
    help: SAFE_ALTERNATIVES[violation.rule_name] ?? violation.help ?? null,
    // squawk reports 0-based positions; editors and humans count from 1.
    line: violation.line + 1,
    column: violation.column + 1,
    lineEnd: violation.line_end + 1,
    columnEnd: violation.column_end + 1,
  };
}

function argumentsFor(options: LintOptions): string[] {
  const args = ['--reporter', 'json'];
  if (options.pgVersion) args.push('--pg-version', options.pgVersion);
  if (options.exclude?.length) args.push('--exclude', options.exclude.join(','));
  if (options.assumeInTransaction) args.push('--assume-in-transaction');
  return args;
}

/**
 * Lints `sql` with squawk (the SQL is piped on stdin, nothing touches a database) and returns what
 * it found: risky statements (table rewrites, ACCESS EXCLUSIVE locks, blocking index builds, …)
 * and syntax errors. squawk exits 1 when it found something, so the exit code alone is not an
 * error; unreadable output is.
 */
export function lintSql(sql: string, options: LintOptions = {}): Promise<LintFinding[]> {
  const binary = squawkBinaryPath();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, argumentsFor(options), { stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 30_000 });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => reject(new SqlLintFailedError(`could not run squawk: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      const output = Buffer.concat(stdout).toString('utf8').trim();
      const failure = (why: string) =>
        new SqlLintFailedError(`squawk ${why} (exit ${code ?? signal}): ${Buffer.concat(stderr).toString('utf8').trim().slice(0, 500)}`);
      if (code !== 0 && code !== 1) return reject(failure('failed'));
      try {
        const violations = JSON.parse(output || '[]') as SquawkViolation[];
        if (!Array.isArray(violations)) return reject(failure('printed something other than a list'));
        resolve(violations.map(toFinding));
      } catch {
        reject(failure('printed unreadable output'));
      }
    });
    // squawk may exit before reading all of stdin (EPIPE); its exit code and output still tell.
    child.stdin.on('error', () => undefined);
    child.stdin.end(sql, 'utf8');
  });
}
