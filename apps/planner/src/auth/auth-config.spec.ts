import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authConfigFromEnv } from './auth-config';

const SECRET = 'a-secret-token-that-must-never-be-printed';

function tokensFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bascule-auth-')), 'tokens.yaml');
  writeFileSync(path, text);
  return path;
}

function refusal(env: NodeJS.ProcessEnv): Error & { code: string } {
  try {
    authConfigFromEnv(env);
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('accepted');
}

describe('authConfigFromEnv', () => {
  it('is off with neither a tokens file nor OIDC', () => {
    expect(authConfigFromEnv({})).toBeNull();
  });

  it('reads the tokens file', () => {
    const path = tokensFile(`- token: ${SECRET}\n  subject: ana\n  roles: [operator, oncall]\n`);
    expect(authConfigFromEnv({ BASCULE_TOKENS_FILE: path })).toEqual({ tokens: [{ token: SECRET, subject: 'ana', roles: ['operator', 'oncall'] }], oidc: null });
  });

  it.each([
    ['a short token', '- {token: short, subject: ana, roles: [operator]}', '[0].token: must be at least 24 characters'],
    ['an unknown role', `- {token: ${SECRET}, subject: ana, roles: [operator, admin]}`, '[0].roles[1]'],
    ['no roles', `- {token: ${SECRET}, subject: ana, roles: []}`, '[0].roles: must name at least one role'],
    ['a repeated token', `- {token: ${SECRET}, subject: ana, roles: [viewer]}\n- {token: ${SECRET}, subject: bo, roles: [viewer]}`, "[1].token repeats an earlier entry's token"],
    ['YAML that does not parse', `- {token: ${SECRET}, subject: [`, 'is not valid YAML'],
    ['an empty file', '', '(file)'],
  ])('refuses %s, naming where, never echoing a token', (_, text, where) => {
    const error = refusal({ BASCULE_TOKENS_FILE: tokensFile(text) });
    expect(error.code).toBe('INVALID_AUTH_CONFIG');
    expect(error.message).toContain(where);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a tokens file it cannot read, and OIDC settings that are incomplete or not https', () => {
    expect(refusal({ BASCULE_TOKENS_FILE: '/nonexistent/tokens.yaml' }).message).toContain('cannot be read (ENOENT)');
    expect(refusal({ BASCULE_OIDC_JWKS_URL: 'https://idp/jwks' }).message).toContain('missing: BASCULE_OIDC_ISSUER, BASCULE_OIDC_AUDIENCE');
    const plain = { BASCULE_OIDC_JWKS_URL: 'http://idp.example/jwks', BASCULE_OIDC_ISSUER: 'i', BASCULE_OIDC_AUDIENCE: 'a' };
    expect(refusal(plain).message).toContain('must be https');
  });
});
