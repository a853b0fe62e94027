/** Why `bascule up` gave up; `code` is stable, the message names the service and what to look at. */
export class UpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class WorkspaceNotFoundError extends UpError {
  constructor(from: string) {
    super('WORKSPACE_NOT_FOUND', `no Bascule workspace (tools/dist-paths.js) above ${from}; run bin/bascule from a checkout`);
  }
}

export class ServiceNotBuiltError extends UpError {
  constructor(entry: string) {
    super('SERVICE_NOT_BUILT', `${entry} is missing; run "npm run build" first`);
  }
}

export class InvalidUpOptionError extends UpError {
  constructor(option: string, value: string, expected: string) {
    super('INVALID_OPTION', `${option} "${value}" is invalid: expected ${expected}`);
  }
}

export class ServiceUnhealthyError extends UpError {
  constructor(service: string, healthUrl: string, seconds: number, lastLine: string | undefined) {
    super(
      'SERVICE_UNHEALTHY',
      `${service} did not answer 200 on ${healthUrl} within ${seconds}s (last log line: ${lastLine ?? 'none'})`,
    );
  }
}

export class ServiceExitedError extends UpError {
  constructor(service: string, exit: string, lastLine: string | undefined) {
    super('SERVICE_EXITED', `${service} ${exit} (last log line: ${lastLine ?? 'none'})`);
  }
}
