import { createHash, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { authConfigFromEnv, type AuthConfig, type OidcConfig } from './auth-config';
import { ROLES, type Principal, type Role } from './roles';

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Turns a request's `Authorization: Bearer …` into a Principal, or null when it proves nothing.
 * Static tokens are compared by their SHA-256 in constant time; a JWT is verified against the
 * OIDC provider's JWKS (signature, `iss`, `aud`, `exp`/`nbf`) with `jose`, its roles read from
 * the `roles` claim. Unknown roles are dropped, never mapped.
 */
export class Authenticator {
  private readonly logger = new Logger('Authenticator');
  private readonly tokens: Array<{ digest: Buffer; subject: string; roles: Role[] }>;
  private readonly jwks: JWTVerifyGetKey | null;

  constructor(private readonly config: AuthConfig | null) {
    this.tokens = (config?.tokens ?? []).map((entry) => ({ digest: sha256(entry.token), subject: entry.subject, roles: [...entry.roles] }));
    this.jwks = config?.oidc ? createRemoteJWKSet(config.oidc.jwksUrl) : null;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): Authenticator {
    return new Authenticator(authConfigFromEnv(env));
  }

  /** False when neither tokens nor OIDC are configured: every caller is let through (local development). */
  get enabled(): boolean {
    return this.config !== null;
  }

  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    const presented = match[1];
    const digest = sha256(presented);
    const token = this.tokens.find((entry) => timingSafeEqual(entry.digest, digest));
    if (token) return { subject: token.subject, roles: token.roles, via: 'token' };
    if (this.jwks && this.config?.oidc && JWT_SHAPE.test(presented)) return this.verifyJwt(presented, this.jwks, this.config.oidc);
    return null;
  }

  private async verifyJwt(jwt: string, jwks: JWTVerifyGetKey, oidc: OidcConfig): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(jwt, jwks, { issuer: oidc.issuer, audience: oidc.audience });
      if (typeof payload.sub !== 'string' || payload.sub === '') return null;
      const claimed = Array.isArray(payload['roles']) ? payload['roles'] : [];
      const roles = ROLES.filter((role) => claimed.includes(role));
      return { subject: payload.sub.slice(0, 254), roles, via: 'jwt' };
    } catch (error) {
      // An expired or forged token is the caller's problem (401); a JWKS we cannot reach is ours: say so.
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('ERR_JWT') && !code.startsWith('ERR_JWS') && code !== 'ERR_JWKS_NO_MATCHING_KEY') {
        this.logger.warn(`JWT not verified: ${code || (error as Error).message}`);
      }
      return null;
    }
  }
}
