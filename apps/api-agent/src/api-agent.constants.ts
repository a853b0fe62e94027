/** The api-agent's configuration (`ApiAgentConfig`), read from the environment at boot. */
export const API_AGENT_CONFIG = Symbol('API_AGENT_CONFIG');
