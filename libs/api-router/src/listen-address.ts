import { InvalidRouterSpecError } from './errors';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:8080` or `[::1]:8080` (port 0 = any free port); the host is required so nothing listens on every interface by accident. */
export function parseListenAddress(listen: string, field = 'router.listen'): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(listen.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535) throw new InvalidRouterSpecError(field, `is "${listen}", expected host:port such as 127.0.0.1:8080`);
  return { host: match[1] ?? match[2], port };
}
