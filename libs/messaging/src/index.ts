export * from './topology';
export * from './streams';
