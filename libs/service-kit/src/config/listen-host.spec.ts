import { listenHost } from './listen-host';

describe('listenHost', () => {
  it('keeps every service on 127.0.0.1 when no authentication is configured', () => {
    expect(listenHost('planner', {})).toBe('127.0.0.1');
    expect(listenHost('monitor', {})).toBe('127.0.0.1');
    expect(listenHost('monitor', { BASCULE_LISTEN_HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('refuses to expose an unauthenticated planner, saying what to set', () => {
    expect(() => listenHost('planner', { BASCULE_LISTEN_HOST: '0.0.0.0' })).toThrow(expect.objectContaining({ code: 'UNSAFE_LISTEN_HOST', message: expect.stringContaining('BASCULE_TOKENS_FILE') }));
    expect(listenHost('planner', { BASCULE_LISTEN_HOST: '::1' })).toBe('::1');
  });

  it('with tokens or OIDC the planner listens on every interface unless told one', () => {
    expect(listenHost('planner', { BASCULE_TOKENS_FILE: '/etc/bascule/tokens.yaml' })).toBe('0.0.0.0');
    expect(listenHost('planner', { BASCULE_OIDC_JWKS_URL: 'https://idp/jwks' })).toBe('0.0.0.0');
    expect(listenHost('planner', { BASCULE_TOKENS_FILE: 'f', BASCULE_LISTEN_HOST: '10.1.2.3' })).toBe('10.1.2.3');
    expect(listenHost('schema-agent', { BASCULE_TOKENS_FILE: 'f' })).toBe('127.0.0.1');
  });
});
