/** Errors a service meets while booting; `code` is stable so callers and tests can branch on it. */
export class ServiceKitError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidPortError extends ServiceKitError {
  constructor(source: string, value: string) {
    super('INVALID_PORT', `${source}="${value}" is not a port: use a whole number from 1 to 65535`);
  }
}

export class UnknownServiceError extends ServiceKitError {
  constructor(name: string, known: readonly string[]) {
    super('UNKNOWN_SERVICE', `"${name}" is not a Bascule service; known services: ${known.join(', ')}`);
  }
}

/** Postgres or NATS cannot be reached; the message is the one line printed to stderr. */
export class DependenciesUnreachableError extends ServiceKitError {
  constructor(message: string) {
    super('DEPENDENCIES_UNREACHABLE', message);
  }
}

export function isServiceKitError(error: unknown): error is ServiceKitError {
  return error instanceof ServiceKitError;
}

/** A listen address the configuration does not allow (the planner beyond loopback with no authentication). */
export class UnsafeListenHostError extends ServiceKitError {
  constructor(host: string) {
    super(
      'UNSAFE_LISTEN_HOST',
      `BASCULE_LISTEN_HOST=${host} would expose the planner's REST API with no authentication: set BASCULE_TOKENS_FILE or BASCULE_OIDC_JWKS_URL/_ISSUER/_AUDIENCE, or listen on 127.0.0.1`,
    );
  }
}
