import { maskUrl, scrubSecrets } from '../config/connection-url';
import { START_NATS_COMMAND, START_POSTGRES_COMMAND } from './start-commands';

export type Dependency = 'Postgres' | 'NATS';

export interface DependencyFailure {
  dependency: Dependency;
  url: string;
  reason: string;
}

const START_COMMAND: Record<Dependency, string> = { Postgres: START_POSTGRES_COMMAND, NATS: START_NATS_COMMAND };

/**
 * ONE line naming every unreachable dependency, its (masked) URL, what failed and the command
 * that starts it, e.g. `cannot reach NATS at nats://127.0.0.1:1 (CONNECTION_REFUSED); start it
 * with: start-stop-daemon ...`.
 */
export function describeUnreachable(failures: readonly DependencyFailure[]): string {
  const what = failures
    .map(({ dependency, url, reason }) => `${dependency} at ${maskUrl(url)} (${oneLine(scrubSecrets(reason, url))})`)
    .join(' and ');
  const how = failures.map(({ dependency }) => START_COMMAND[dependency]).join(' ; ');
  return `cannot reach ${what}; start ${failures.length > 1 ? 'them' : 'it'} with: ${how}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A driver error as a short reason: Node's AggregateError (IPv4 + IPv6 refused) has an empty message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.message) return error.message;
    if (typeof code === 'string') return code;
    if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
    return error.name;
  }
  return String(error);
}
