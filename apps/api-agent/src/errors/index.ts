export * from './api-agent.error';
export * from './invalid-api-step.error';
export * from './router-not-started.error';
