export * from './postgres';
export * from './nats';
export * from './names';
export * from './ports';
export * from './typescript-child';
export * from './private-postgres';
export * from './otlp-receiver';
