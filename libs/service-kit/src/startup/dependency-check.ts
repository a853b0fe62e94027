import { natsCredentials } from '@bascule/messaging';
import { connect } from 'nats';
import { Client } from 'pg';
import type { DependencyUrls } from '../config/service-config';
import { DependenciesUnreachableError } from '../service-kit.errors';
import { ensureDatabaseExists } from '@bascule/event-store';
import { UNDEFINED_DATABASE } from './ensure-database';
import { describeUnreachable, reasonOf, type DependencyFailure } from './unreachable-message';

const CHECK_TIMEOUT_MS = 3000;

/** Connects and runs `SELECT 1`; a missing database is created (contract: "created if missing"). */
export async function checkPostgres(url: string): Promise<DependencyFailure | undefined> {
  try {
    await selectOne(url);
    return undefined;
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_DATABASE) return { dependency: 'Postgres', url, reason: reasonOf(error) };
  }
  try {
    await ensureDatabaseExists(url, CHECK_TIMEOUT_MS);
    await selectOne(url);
    return undefined;
  } catch (error) {
    return { dependency: 'Postgres', url, reason: `the database is missing and could not be created: ${reasonOf(error)}` };
  }
}

async function selectOne(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  // A refused connection also emits 'error' on the client; without a listener that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects and asks JetStream for the account info: a NATS without `-js` fails here, not later. */
export async function checkNats(url: string): Promise<DependencyFailure | undefined> {
  try {
    const nc = await connect({ servers: url, timeout: CHECK_TIMEOUT_MS, name: 'bascule-preflight', maxReconnectAttempts: 0, ...natsCredentials() });
    try {
      const jsm = await nc.jetstreamManager({ timeout: CHECK_TIMEOUT_MS });
      await jsm.getAccountInfo();
    } finally {
      await nc.close();
    }
    return undefined;
  } catch (error) {
    return { dependency: 'NATS', url, reason: reasonOf(error) };
  }
}

export async function checkDependencies(urls: DependencyUrls): Promise<DependencyFailure[]> {
  const results = await Promise.all([checkPostgres(urls.databaseUrl), checkNats(urls.natsUrl)]);
  return results.filter((failure): failure is DependencyFailure => failure !== undefined);
}

/** Throws one error whose message is the single line to print when anything is unreachable. */
export async function assertDependenciesReachable(urls: DependencyUrls): Promise<void> {
  const failures = await checkDependencies(urls);
  if (failures.length > 0) throw new DependenciesUnreachableError(describeUnreachable(failures));
}
