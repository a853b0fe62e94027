import type { DeadLetter } from '@bascule/contracts';
import { deadLetterEventId, EventStoreDeadLetterSink, type DeadLetterEventToAppend } from './event-store-dead-letter.sink';

const letter: DeadLetter = {
  consumer: 'cmd-rollback',
  subject: 'bascule.cmd.rollback',
  stream: 'BASCULE_CMDS',
  streamSequence: 7,
  messageId: 'BASCULE_CMDS#7',
  payload: '{"migrationId":"m-1"}',
  payloadEncoding: 'utf8',
  payloadBytes: 21,
  payloadSha256: 'a'.repeat(64),
  payloadTruncated: false,
  headers: { traceparent: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'] },
  error: { code: 'invalid_payload', message: 'payload on "bascule.cmd.rollback" is invalid: reason: Required' },
  deliveries: 1,
  deadLetteredAt: '2026-01-01T00:00:00.000Z',
};

describe('EventStoreDeadLetterSink', () => {
  it('appends one MessageDeadLettered event to the dead-letters stream, carrying the trace context', async () => {
    const appended: Array<{ streamId: string; events: DeadLetterEventToAppend[] }> = [];
    const sink = new EventStoreDeadLetterSink(async (streamId, events) => {
      appended.push({ streamId, events });
    });
    await sink.record(letter);
    expect(appended).toEqual([
      {
        streamId: 'dead-letters',
        events: [
          {
            eventId: deadLetterEventId(letter),
            type: 'MessageDeadLettered',
            data: letter,
            metadata: { traceparent: letter.headers.traceparent[0], causationId: 'BASCULE_CMDS#7' },
          },
        ],
      },
    ]);
  });

  it('derives the same UUID for the same message, so a retried record appends nothing new', () => {
    const id = deadLetterEventId(letter);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deadLetterEventId({ ...letter })).toBe(id);
    expect(deadLetterEventId({ ...letter, messageId: 'BASCULE_CMDS#8' })).not.toBe(id);
    expect(deadLetterEventId({ ...letter, consumer: 'other' })).not.toBe(id);
  });

  it('refuses a letter that does not match the contract, appending nothing', async () => {
    const append = jest.fn();
    const sink = new EventStoreDeadLetterSink(append);
    await expect(sink.record({ ...letter, streamSequence: 0 })).rejects.toThrow(/streamSequence/);
    expect(append).not.toHaveBeenCalled();
  });
});
