export * from './trace-headers';
export * from './spans';
