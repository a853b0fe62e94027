export { introspect } from './introspect';
export { introspectLocked } from './introspect-locked';
export type { Queryable } from './queryable';
