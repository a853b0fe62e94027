import { apiAgentConfig } from './api-agent-config';

describe('apiAgentConfig', () => {
  it('reads the HAProxy settings, blank as unset', () => {
    expect(apiAgentConfig({ BASCULE_API_HAPROXY_LOG_LISTEN: '127.0.0.1:5140', BASCULE_API_HAPROXY_CONFIG: ' ' })).toEqual({
      haproxy: { logListen: '127.0.0.1:5140', serverStateFile: null, configFile: null },
    });
  });

  it.each(['5140', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'host port:1'])('refuses a log receiver address %j, naming the variable', (listen) => {
    expect(() => apiAgentConfig({ BASCULE_API_HAPROXY_LOG_LISTEN: listen })).toThrow(`BASCULE_API_HAPROXY_LOG_LISTEN is "${listen}": it must be host:port, like 127.0.0.1:5140`);
  });
});
