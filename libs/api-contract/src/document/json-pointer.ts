import type { Segment } from './json-node';

/** RFC 6901: `~` and `/` inside a segment are escaped as `~0` and `~1`. */
export function toJsonPointer(segments: readonly Segment[]): string {
  return segments.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A pointer as a URI fragment (`#/paths/~1orders~1%7Bid%7D`), the form `$ref` and Ajv expect. */
export function toUriFragment(segments: readonly Segment[]): string {
  return '#' + segments.map((segment) => '/' + encodeURIComponent(String(segment).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
}
