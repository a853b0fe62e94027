import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { chainHash, contentHash } from './event-hash';

describe('canonicalJson', () => {
  it('sorts keys at every level so key order does not change the text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('drops undefined members like JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe('contentHash and chainHash', () => {
  const event = { streamId: 's', eventId: 'A0000000-0000-4000-8000-000000000000', type: 'T', data: { a: 1 }, metadata: {} };

  it('content hash changes when any covered field changes', () => {
    const base = contentHash(event).toString('hex');
    expect(contentHash({ ...event, data: { a: 2 } }).toString('hex')).not.toBe(base);
    expect(contentHash({ ...event, streamId: 't' }).toString('hex')).not.toBe(base);
    expect(contentHash({ ...event, metadata: { actor: 'x' } }).toString('hex')).not.toBe(base);
  });

  it('content hash does not depend on key order or event id case', () => {
    const reordered = { ...event, eventId: event.eventId.toLowerCase(), data: { a: 1 } };
    expect(contentHash(reordered).equals(contentHash(event))).toBe(true);
  });

  it('chain hash is sha256(previous || content || version), with no previous for the first event', () => {
    const content = contentHash(event);
    expect(chainHash(null, content, 1).equals(createHash('sha256').update(Buffer.concat([content, Buffer.from('1')])).digest())).toBe(true);
    const previous = Buffer.alloc(32, 7);
    const expected = createHash('sha256').update(Buffer.concat([previous, content, Buffer.from('12')])).digest();
    expect(chainHash(previous, content, 12).equals(expected)).toBe(true);
    expect(chainHash(previous, content, 13).equals(expected)).toBe(false);
  });
});
