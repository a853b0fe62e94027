import { readFileSync } from 'node:fs';
import { credsAuthenticator, usernamePasswordAuthenticator, type ConnectionOptions } from 'nats';
import { MessagingError } from '../errors/messaging.error';

/** The NATS credentials settings cannot be used: names the variable or file, never a secret. */
export class NatsCredentialsError extends MessagingError {
  readonly code = 'INVALID_NATS_CREDENTIALS';
}

/**
 * How a Bascule process identifies itself to NATS (ARCHITECTURE.md "Configuration"): a creds
 * file (`NATS_CREDS`: a user JWT and nkey seed, as `nsc` writes them) or `NATS_USER` +
 * `NATS_PASSWORD`. Neither: no credentials, for the open local bus. Every connection a service,
 * the CLI or a BusClient opens goes through this, so what NATS allows the identity (deploy/nats/)
 * is what the process can publish.
 */
export function natsCredentials(env: NodeJS.ProcessEnv = process.env): Pick<ConnectionOptions, 'authenticator'> {
  const creds = env['NATS_CREDS'] || undefined;
  const user = env['NATS_USER'] || undefined;
  const password = env['NATS_PASSWORD'] || undefined;
  if (creds && (user || password)) throw new NatsCredentialsError('set NATS_CREDS or NATS_USER + NATS_PASSWORD, not both');
  if (creds) {
    let content: Buffer;
    try {
      content = readFileSync(creds);
    } catch (error) {
      throw new NatsCredentialsError(`NATS_CREDS ${creds} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return { authenticator: credsAuthenticator(new Uint8Array(content)) };
  }
  if (user || password) {
    if (!user || !password) throw new NatsCredentialsError(`NATS_USER and NATS_PASSWORD go together; ${user ? 'NATS_PASSWORD' : 'NATS_USER'} is missing`);
    return { authenticator: usernamePasswordAuthenticator(user, password) };
  }
  return {};
}
