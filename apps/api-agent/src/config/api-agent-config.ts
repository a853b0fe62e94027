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

export function apiAgentConfig(env: NodeJS.ProcessEnv = process.env): ApiAgentConfig {
  const value = (name: string) => env[name]?.trim() || null;
  return {
    haproxy: {
      logListen: value('BASCULE_API_HAPROXY_LOG_LISTEN'),
      serverStateFile: value('BASCULE_API_HAPROXY_SERVER_STATE_FILE'),
      configFile: value('BASCULE_API_HAPROXY_CONFIG'),
    },
  };
}
