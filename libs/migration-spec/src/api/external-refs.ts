import { isRecord } from '../checks/raw-spec';

/** A `$ref` that leaves its document (`shared.yaml#/Order`, `https://…`), and where it is written. */
export interface ExternalRef {
  ref: string;
  /** JSON pointer to the object holding the `$ref`: `/paths/~1orders/get/responses/200`. */
  pointer: string;
  /** The part before `#`, percent-decoded: the file (or URL) the reference reads. */
  target: string;
}

const escapeSegment = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function decoded(target: string): string {
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

/**
 * Every `$ref` of a document that is not internal (`#/…`). Swagger Parser follows a `$ref` wherever
 * it is written (examples and `x-` extensions included), so every one is listed, not just those in
 * schema positions: what is not listed here must not be read.
 */
export function externalRefsOf(document: unknown): ExternalRef[] {
  const refs: ExternalRef[] = [];
  const visit = (value: unknown, pointer: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${pointer}/${index}`));
      return;
    }
    if (!isRecord(value)) return;
    const ref = value.$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) refs.push({ ref, pointer: pointer || '/', target: decoded(ref.split('#')[0] ?? '') });
    for (const [key, child] of Object.entries(value)) visit(child, `${pointer}/${escapeSegment(key)}`);
  };
  visit(document, '');
  return refs;
}

/** `https:`, `file:`, `urn:` …: read over the network or outside any directory rule, so never followed. */
export function isUrlRef(target: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target);
}
