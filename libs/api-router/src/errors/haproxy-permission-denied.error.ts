import { ApiRouterError } from './api-router.error';

/**
 * Raised when the socket file may not be opened by this process (EACCES), or HAProxy answered
 * "Permission denied" because the socket's level is below admin: either way no weight can change.
 */
export class HaproxyPermissionDeniedError extends ApiRouterError {
  readonly code = 'HAPROXY_PERMISSION_DENIED';

  constructor(
    readonly socket: string,
    readonly command: string,
    readonly reason: 'socket-file' | 'socket-level',
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'socket-file'
        ? `no permission to open the HAProxy admin socket ${socket}: run as the socket's owner or group, or set ` +
            '`mode`/`user`/`group` on its `stats socket` line'
        : `HAProxy refused \`${command}\` on ${socket} (Permission denied): declare the socket with ` +
            '`stats socket <path> level admin`',
      options,
    );
  }
}

export function isHaproxyPermissionDeniedError(error: unknown): error is HaproxyPermissionDeniedError {
  return error instanceof HaproxyPermissionDeniedError;
}
