import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ROLES } from './roles';

/** The authentication settings could not be used: names the file, entry and field, never a token. */
export class AuthConfigError extends Error {
  readonly code = 'INVALID_AUTH_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}

const TokenEntry = z.object({
  /** At least 24 characters: a bearer token is a password. */
  token: z.string().min(24, 'must be at least 24 characters'),
  subject: z.string().min(1).max(254),
  roles: z.array(z.enum(ROLES)).min(1, 'must name at least one role'),
});
const TokensFile = z.array(TokenEntry).min(1, 'must list at least one token');
export type TokenEntry = z.infer<typeof TokenEntry>;

export interface OidcConfig {
  jwksUrl: URL;
  issuer: string;
  audience: string;
}

export interface AuthConfig {
  tokens: TokenEntry[];
  oidc: OidcConfig | null;
}

/**
 * `BASCULE_TOKENS_FILE` (a YAML list of `{token, subject, roles}`) and `BASCULE_OIDC_JWKS_URL`,
 * `BASCULE_OIDC_ISSUER`, `BASCULE_OIDC_AUDIENCE` (ARCHITECTURE.md "Configuration"). Null when
 * neither is set: authentication is off, and the services listen on 127.0.0.1 only.
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv): AuthConfig | null {
  const tokensFile = env['BASCULE_TOKENS_FILE'] || undefined;
  const oidc = oidcFromEnv(env);
  if (!tokensFile && !oidc) return null;
  return { tokens: tokensFile ? readTokensFile(tokensFile) : [], oidc };
}

function oidcFromEnv(env: NodeJS.ProcessEnv): OidcConfig | null {
  const names = ['BASCULE_OIDC_JWKS_URL', 'BASCULE_OIDC_ISSUER', 'BASCULE_OIDC_AUDIENCE'] as const;
  const set = names.filter((name) => env[name]);
  if (set.length === 0) return null;
  if (set.length < names.length) {
    throw new AuthConfigError(`OIDC needs all of ${names.join(', ')}; missing: ${names.filter((name) => !env[name]).join(', ')}`);
  }
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(env['BASCULE_OIDC_JWKS_URL'] as string);
  } catch {
    throw new AuthConfigError('BASCULE_OIDC_JWKS_URL is not a URL');
  }
  if (jwksUrl.protocol !== 'https:' && jwksUrl.hostname !== '127.0.0.1' && jwksUrl.hostname !== 'localhost') {
    throw new AuthConfigError('BASCULE_OIDC_JWKS_URL must be https (plain http only on 127.0.0.1 or localhost)');
  }
  return { jwksUrl, issuer: env['BASCULE_OIDC_ISSUER'] as string, audience: env['BASCULE_OIDC_AUDIENCE'] as string };
}

function readTokensFile(path: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AuthConfigError(`BASCULE_TOKENS_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    throw new AuthConfigError(`BASCULE_TOKENS_FILE ${path} is not valid YAML`);
  }
  const parsed = TokensFile.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`);
    throw new AuthConfigError(`BASCULE_TOKENS_FILE ${path}: ${problems.join('; ')}`);
  }
  const seen = new Set<string>();
  parsed.data.forEach((entry, index) => {
    if (seen.has(entry.token)) throw new AuthConfigError(`BASCULE_TOKENS_FILE ${path}: [${index}].token repeats an earlier entry's token`);
    seen.add(entry.token);
  });
  return parsed.data;
}

/** `[1].roles[0]`, or `(file)` for the file as a whole. */
function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
