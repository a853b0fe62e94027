/** The target named in a command has no `BASCULE_TARGET_<NAME>_URL`: retrying cannot help. */
export class TargetNotConfiguredError extends Error {
  readonly code = 'TARGET_NOT_CONFIGURED';

  constructor(readonly target: string, readonly envName: string) {
    super(`target "${target}" is not configured: set ${envName} to its Postgres connection URL`);
    this.name = 'TargetNotConfiguredError';
  }
}

export function targetEnvName(target: string): string {
  return `BASCULE_TARGET_${target.toUpperCase()}_URL`;
}

/** Connection URLs come from the agent's environment only, never from a message. */
export function targetUrl(target: string, env: NodeJS.ProcessEnv = process.env): string {
  const envName = targetEnvName(target);
  const url = env[envName];
  if (!url) throw new TargetNotConfiguredError(target, envName);
  return url;
}
