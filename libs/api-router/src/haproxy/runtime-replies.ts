import {
  HaproxyBackendNotFoundError,
  HaproxyCommandRejectedError,
  HaproxyPermissionDeniedError,
  HaproxyServerNotFoundError,
  HaproxyUnknownCommandError,
} from '../errors';

/**
 * HAProxy's runtime API answers errors as plain text on the first line of the reply (2.6: "No such
 * server.", "No such backend.", "Can't find backend.", "No such proxy.", "Unknown command, but…",
 * "Permission denied"). This turns those into typed errors naming what was asked for.
 */
export function errorInReply(socket: string, command: string, reply: string): Error | null {
  const firstLine = reply.trimStart().split('\n')[0].trim();
  if (/^Unknown command/i.test(firstLine)) return new HaproxyUnknownCommandError(socket, command);
  if (/^Permission denied/i.test(firstLine)) return new HaproxyPermissionDeniedError(socket, command, 'socket-level');
  const target = targetOf(command);
  if (/^No such server/i.test(firstLine)) return new HaproxyServerNotFoundError(socket, target.backend, target.server ?? '');
  if (/^(No such (backend|proxy)|Can't find backend)/i.test(firstLine)) return new HaproxyBackendNotFoundError(socket, target.backend);
  return null;
}

/** For commands whose success is an empty reply (`set server …`): any text is HAProxy saying no. */
export function errorInSilentReply(socket: string, command: string, reply: string): Error | null {
  const known = errorInReply(socket, command, reply);
  if (known) return known;
  return reply.trim() === '' ? null : new HaproxyCommandRejectedError(socket, command, reply.trim());
}

/** The backend (and server) of the commands this adapter sends: `set server <b>/<s> …`, `show servers state <b>`, `show stat <b> …`. */
function targetOf(command: string): { backend: string; server?: string } {
  const setServer = /^set server ([^/\s]+)\/(\S+)/.exec(command);
  if (setServer) return { backend: setServer[1], server: setServer[2] };
  const show = /^show (?:servers state|stat) (\S+)/.exec(command);
  return { backend: show?.[1] ?? '' };
}
