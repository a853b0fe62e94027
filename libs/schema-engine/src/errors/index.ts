export * from './schema-engine.error';
