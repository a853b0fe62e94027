const MASK = '***';

/**
 * The URL with any password replaced by `***`, safe for logs and error lines. Also masks a
 * `password=` query parameter (libpq accepts one) and falls back to a pattern when the text is
 * not a parseable URL, because an unparseable URL can still hold a secret.
 */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', MASK);
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/, `$1${MASK}@`).replace(/(password=)[^&\s]*/gi, `$1${MASK}`);
  }
}

/** Removes the URL's password from free text (a driver error message may quote its input). */
export function scrubSecrets(text: string, url: string): string {
  let secret: string | undefined;
  try {
    secret = decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    secret = /\/\/[^:/@\s]*:([^@\s]+)@/.exec(url)?.[1];
  }
  const withoutUrl = text.split(url).join(maskUrl(url));
  return secret ? withoutUrl.split(secret).join(MASK) : withoutUrl;
}
