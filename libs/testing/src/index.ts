export * from './postgres';
export * from './nats';
export * from './names';
export * from './ports';
