/**
 * What the api-agent needs beyond the spec, from its environment: only the HAProxy adapter's
 * host-side settings (a spec names a router, not where this host keeps HAProxy's files).
 */
export interface ApiAgentConfig {
  haproxy: {
    /**
     * `BASCULE_API_HAPROXY_LOG_LISTEN` (host:port): a UDP syslog receiver for HAProxy's `option
     * httplog` lines. With it an HAProxy canary is judged on per-request latency and statuses like
     * the embedded router's; without it, on HAProxy's 5xx counters alone (latency not judged).
     */
    logListen: string | null;
    /** `BASCULE_API_HAPROXY_SERVER_STATE_FILE`: where weights are saved so a reload keeps them. */
    serverStateFile: string | null;
    /** `BASCULE_API_HAPROXY_CONFIG`: HAProxy's configuration, to find its `server-state-file` instead. */
    configFile: string | null;
  };
}

/** A setting the api-agent cannot use: it stops at boot naming it, rather than fail its first HAProxy step. */
export class InvalidApiAgentConfigError extends Error {
  readonly code = 'INVALID_API_AGENT_CONFIG';
}

const HOST_PORT = /^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function apiAgentConfig(env: NodeJS.ProcessEnv = process.env): ApiAgentConfig {
  const value = (name: string) => env[name]?.trim() || null;
  const logListen = value('BASCULE_API_HAPROXY_LOG_LISTEN');
  const port = logListen === null ? null : HOST_PORT.exec(logListen)?.[1];
  if (logListen !== null && !(port && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new InvalidApiAgentConfigError(`BASCULE_API_HAPROXY_LOG_LISTEN is "${logListen}": it must be host:port, like 127.0.0.1:5140`);
  }
  return {
    haproxy: {
      logListen,
      serverStateFile: value('BASCULE_API_HAPROXY_SERVER_STATE_FILE'),
      configFile: value('BASCULE_API_HAPROXY_CONFIG'),
    },
  };
}
