import { isJsonObject } from '../document/json-node';
import type { StructuralDiff } from './diff-context';

/**
 * api-smart-diff reports a collection that appears or vanishes whole (an operation's first
 * parameter list, a response's first `content`) as one change; the rules read one item at a time.
 */
export function spreadCollections(diff: StructuralDiff): StructuralDiff[] {
  if (diff.action !== 'add' && diff.action !== 'remove') return [diff];
  const value = diff.action === 'add' ? diff.after : diff.before;
  const side = diff.action === 'add' ? 'after' : 'before';
  if (isParameterList(diff.path) && Array.isArray(value)) {
    return value.map((item, index) => ({ action: diff.action, path: [...diff.path, index], [side]: item }));
  }
  if (isKeyedCollection(diff.path) && isJsonObject(value)) {
    return Object.entries(value).map(([key, item]) => ({ action: diff.action, path: [...diff.path, key], [side]: item }));
  }
  return [diff];
}

function isParameterList(path: StructuralDiff['path']): boolean {
  return path.length === 4 && path[0] === 'paths' && path[3] === 'parameters';
}

function isKeyedCollection(path: StructuralDiff['path']): boolean {
  const last = path.at(-1);
  if (path[0] !== 'paths') return false;
  if (last === 'content') return path[3] === 'requestBody' ? path.length === 5 : path[3] === 'responses' && path.length === 6;
  return last === 'properties' && path.includes('schema');
}
