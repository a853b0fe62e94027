import { isExpectedVersionConflictError } from '../errors/expected-version-conflict.error';
import { assertExpectedVersion, matchesExpectedVersion } from './expected-version';
import { prepareAppend } from './prepare-append';

describe('matchesExpectedVersion', () => {
  it.each([
    ['any', 0, true],
    ['any', 5, true],
    ['no_stream', 0, true],
    ['no_stream', 1, false],
    ['stream_exists', 0, false],
    ['stream_exists', 3, true],
    [0, 0, true],
    [3, 3, true],
    [3, 4, false],
  ] as const)('expected %p at actual %p → %p', (expected, actual, result) => {
    expect(matchesExpectedVersion('s', expected, actual)).toBe(result);
  });

  it('rejects a malformed expected version with a typed error', () => {
    expect(() => matchesExpectedVersion('s', -1, 0)).toThrow(expect.objectContaining({ code: 'INVALID_APPEND' }));
    expect(() => matchesExpectedVersion('s', 1.5, 0)).toThrow(/expectedVersion/);
  });

  it('throws the typed conflict naming stream, expected and actual', () => {
    try {
      assertExpectedVersion('migration-1', 2, 3);
      throw new Error('no conflict');
    } catch (error) {
      expect(isExpectedVersionConflictError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', streamId: 'migration-1', expected: 2, actual: 3 });
    }
  });
});

describe('prepareAppend', () => {
  it('rejects bad input naming the field', () => {
    expect(() => prepareAppend('', [{ type: 'A', data: {} }])).toThrow(/streamId/);
    expect(() => prepareAppend('s', [])).toThrow(/events/);
    expect(() => prepareAppend('s', [{ type: 'a b', data: {} }])).toThrow(/events\[0\]\.type/);
    expect(() => prepareAppend('s', [{ type: 'A.>', data: {} }])).toThrow(/type/);
    expect(() => prepareAppend('s', [{ type: 'A', data: undefined }])).toThrow(/events\[0\]\.data/);
    expect(() => prepareAppend('s', [{ type: 'A', data: {}, eventId: 'nope' }])).toThrow(/eventId/);
    const id = '0d6e7a8c-1111-4222-8333-444455556666';
    expect(() => prepareAppend('s', [{ type: 'A', data: 1, eventId: id }, { type: 'A', data: 2, eventId: id }])).toThrow(/repeats/);
  });

  it('generates lowercase ids and keeps the JSON form of data', () => {
    const [event] = prepareAppend('s', [{ type: 'A', data: { when: new Date(0) }, eventId: 'AAAAAAAA-1111-4222-8333-444455556666' }]);
    expect(event.eventId).toBe('aaaaaaaa-1111-4222-8333-444455556666');
    expect(event.data).toEqual({ when: '1970-01-01T00:00:00.000Z' });
  });
});
