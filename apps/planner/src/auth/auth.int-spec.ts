import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import { Client } from 'pg';
import { PlannerTestApp } from '../testing/planner-test-app';

jest.setTimeout(120_000);

const TOKENS = {
  ana: 'operator-token-ana-0123456789abcdef',
  vic: 'viewer-token-vic-0123456789abcdef',
  abe: 'approver-token-abe-0123456789abcdef',
  oli: 'oncall-token-oli-0123456789abcdef',
};
const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'bascule';

const spec = {
  name: 'add-note',
  target: 'app',
  phases: [{ name: 'expand', steps: [{ id: 'note', sql: { up: 'CREATE TABLE notes (id int)', down: 'DROP TABLE notes' } }] }],
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('planner REST authentication and roles (real Postgres + NATS, a JWKS served here)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let planner: PlannerTestApp;
  let jwks: Server;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;
  const prefix = uniqueBusPrefix();
  const saved = { ...process.env };

  async function jwt(claims: Record<string, unknown>, options: { key?: KeyLike; audience?: string; expiresIn?: string } = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setIssuer(ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);
  }

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    jwks = createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const address = jwks.address() as { port: number };

    const dir = mkdtempSync(join(tmpdir(), 'bascule-tokens-'));
    const tokensFile = join(dir, 'tokens.yaml');
    writeFileSync(
      tokensFile,
      [
        `- {token: ${TOKENS.ana}, subject: ana, roles: [operator]}`,
        `- {token: ${TOKENS.vic}, subject: vic, roles: [viewer]}`,
        `- {token: ${TOKENS.abe}, subject: abe, roles: [approver]}`,
        `- {token: ${TOKENS.oli}, subject: oli, roles: [oncall]}`,
      ].join('\n'),
    );
    store = await createTestDatabase('auth_store');
    target = await createTestDatabase('auth_target');
    Object.assign(process.env, {
      BASCULE_BUS_PREFIX: prefix,
      BASCULE_TARGET_APP_URL: target.url,
      BASCULE_TOKENS_FILE: tokensFile,
      BASCULE_OIDC_JWKS_URL: `http://127.0.0.1:${address.port}/jwks.json`,
      BASCULE_OIDC_ISSUER: ISSUER,
      BASCULE_OIDC_AUDIENCE: AUDIENCE,
    });
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query('CREATE TABLE accounts (id int PRIMARY KEY)');
    await client.end();
    planner = await PlannerTestApp.boot(store.url);
  });

  afterAll(async () => {
    await planner?.close();
    process.env = saved;
    const nc = await connectTestNats();
    await deleteStreams(nc, prefix);
    await nc.close();
    await new Promise((resolve) => jwks?.close(resolve));
    await store?.drop();
    await target?.drop();
  });

  const routes = (id: string): Array<[string, string, unknown?]> => [
    ['GET', '/migrations'],
    ['GET', `/migrations/${id}`],
    ['GET', `/migrations/${id}/events`],
    ['GET', `/migrations/${id}/report`],
    ['GET', `/migrations/${id}/stream`],
    ['POST', '/migrations', spec],
    ['POST', `/migrations/${id}/start`],
    ['POST', `/migrations/${id}/pause`, {}],
    ['POST', `/migrations/${id}/resume`],
    ['POST', `/migrations/${id}/complete`],
    ['POST', `/migrations/${id}/rollback`, {}],
    ['POST', `/migrations/${id}/steps/note/approve`, {}],
    ['POST', `/migrations/${id}/rehearse`],
  ];

  it('answers 401 on every migrations route without a token, with a token nobody issued, or with a forged JWT', async () => {
    const planned = await planner.request('POST', '/migrations', spec, bearer(TOKENS.ana));
    expect(planned.status).toBe(201);
    const forged = await jwt({ sub: 'mallory', roles: ['operator', 'oncall', 'approver'] }, { key: strangerKey });
    for (const [method, path, body] of routes(planned.body.id)) {
      const attempts: Array<Record<string, string>> = [{}, bearer('not-a-token-anyone-was-given-0000'), bearer(forged), { 'x-bascule-user': 'ana' }];
      for (const headers of attempts) {
        const response = await planner.request(method, path, body, headers);
        expect({ method, path, status: response.status, code: response.body?.code }).toEqual({ method, path, status: 401, code: 'UNAUTHENTICATED' });
      }
    }
    expect((await planner.request('GET', '/health')).status).toBe(200);
  });

  it('answers 403 when the token lacks the route role, and runs nothing', async () => {
    const planned = await planner.request('POST', '/migrations', spec, bearer(TOKENS.ana));
    const id = planned.body.id;
    const refused: Array<[string, string, string, unknown?]> = [
      [TOKENS.vic, 'POST', '/migrations', spec],
      [TOKENS.vic, 'POST', `/migrations/${id}/start`],
      [TOKENS.oli, 'POST', `/migrations/${id}/start`],
      [TOKENS.ana, 'POST', `/migrations/${id}/rollback`, {}],
      [TOKENS.ana, 'POST', `/migrations/${id}/steps/note/approve`, {}],
      [TOKENS.abe, 'POST', `/migrations/${id}/complete`],
    ];
    for (const [token, method, path, body] of refused) {
      const response = await planner.request(method, path, body, bearer(token));
      expect({ path, status: response.status, code: response.body?.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
    expect((await planner.events(id)).map((event) => event.type)).toEqual(['MigrationPlanned']);
  });

  it('records the token subject as the actor, never the X-Bascule-User header', async () => {
    const planned = await planner.request('POST', '/migrations', spec, { ...bearer(TOKENS.ana), 'x-bascule-user': 'mallory' });
    expect(planned.status).toBe(201);
    const list = await planner.request('GET', '/migrations', undefined, bearer(TOKENS.vic));
    expect(list.status).toBe(200);
    const started = await planner.request('POST', `/migrations/${planned.body.id}/start`, undefined, { ...bearer(TOKENS.ana), 'x-bascule-user': 'mallory' });
    expect(started.status).toBe(202);
    const events = await planner.events(planned.body.id);
    expect(events.find((event) => event.type === 'MigrationPlanned')?.data).toMatchObject({ requestedBy: 'ana' });
    expect(events.find((event) => event.type === 'MigrationStarted')?.data).toMatchObject({ requestedBy: 'ana' });
  });

  it('accepts a JWT the provider signed for this audience, with its roles claim; refuses another audience, an expired one and unknown roles', async () => {
    const operator = await jwt({ sub: 'jo@example.test', roles: ['operator', 'admin'] });
    const planned = await planner.request('POST', '/migrations', spec, bearer(operator));
    expect(planned.status).toBe(201);
    expect((await planner.events(planned.body.id))[0]?.data).toMatchObject({ requestedBy: 'jo@example.test' });

    expect((await planner.request('GET', '/migrations', undefined, bearer(await jwt({ sub: 'jo', roles: ['viewer'] }, { audience: 'another-app' })))).status).toBe(401);
    expect((await planner.request('GET', '/migrations', undefined, bearer(await jwt({ sub: 'jo', roles: ['viewer'] }, { expiresIn: '-1m' })))).status).toBe(401);
    expect((await planner.request('GET', '/migrations', undefined, bearer(await jwt({ roles: ['viewer'] })))).status).toBe(401);
    const adminOnly = await planner.request('GET', '/migrations', undefined, bearer(await jwt({ sub: 'root', roles: ['admin'] })));
    expect(adminOnly.status).toBe(403);
  });
});
