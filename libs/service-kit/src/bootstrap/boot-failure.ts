import { scrubSecrets } from '../config/connection-url';
import type { DependencyUrls } from '../config/service-config';
import { isServiceKitError } from '../service-kit.errors';
import { reasonOf } from '../startup/unreachable-message';

/**
 * What went wrong while booting, as ONE line for stderr: no stack trace (the operator needs the
 * cause and the fix, not our call sites) and no password from a connection URL.
 */
export function bootFailureLine(service: string, error: unknown, urls: Partial<DependencyUrls> = {}): string {
  let text: string;
  const code = (error as { code?: unknown } | null)?.code;
  if (isServiceKitError(error)) text = error.message;
  else if (code === 'EADDRINUSE') text = `cannot listen: ${reasonOf(error)} (another process holds the port; set PORT to a free one)`;
  else text = `failed to start: ${reasonOf(error)}`;
  for (const url of [urls.databaseUrl, urls.natsUrl]) if (url) text = scrubSecrets(text, url);
  return `${service}: ${text.replace(/\s+/g, ' ').trim()}`;
}
