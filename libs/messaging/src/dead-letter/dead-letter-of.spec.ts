import { createHash } from 'node:crypto';
import { DEAD_LETTER_PAYLOAD_BYTES, DeadLetter } from '@bascule/contracts';
import type { JsMsg } from 'nats';
import { JetStreamContext } from '../server/jetstream.context';
import { deadLetterOf } from './dead-letter-of';

function delivery(data: Uint8Array, headers: Record<string, string[]> = {}) {
  const msg = { subject: 'bascule.cmd.rollback', seq: 9, data, info: { stream: 'BASCULE_CMDS', deliveryCount: 1 } } as unknown as JsMsg;
  return { msg, ctx: new JetStreamContext([msg, { consumer: 'cmd-rollback', messageId: 'BASCULE_CMDS#9', headers }]) };
}

describe('deadLetterOf', () => {
  it('keeps a small payload whole, with its size and digest', () => {
    const data = Buffer.from('{"migrationId":"m-1"}');
    const { msg, ctx } = delivery(data);
    const letter = deadLetterOf(msg, ctx, new Error('boom'));
    expect(letter).toMatchObject({ payload: '{"migrationId":"m-1"}', payloadEncoding: 'utf8', payloadBytes: data.length, payloadTruncated: false });
    expect(letter.payloadSha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(DeadLetter.parse(letter)).toEqual(letter);
  });

  it('keeps only the first bytes of a 1 MB payload, cut on a character boundary, and the digest of all of it', () => {
    const data = Buffer.concat([Buffer.from('€'.repeat(349_525)), Buffer.from('x')]); // 3 bytes a character: 4096 cuts one
    expect(data.length).toBe(1024 * 1024);
    const { msg, ctx } = delivery(data, Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`h${i}`, ['x'.repeat(10_000)]])));
    const letter = deadLetterOf(msg, ctx, Object.assign(new Error('m'.repeat(100_000)), { code: 'invalid_payload' }));
    expect(letter.payloadBytes).toBe(1024 * 1024);
    expect(letter.payloadTruncated).toBe(true);
    expect(Buffer.byteLength(letter.payload)).toBeLessThanOrEqual(DEAD_LETTER_PAYLOAD_BYTES);
    expect(letter.payload).toBe('€'.repeat(Math.floor(DEAD_LETTER_PAYLOAD_BYTES / 3)));
    expect(letter.payloadSha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(JSON.stringify(letter).length).toBeLessThan(64 * 1024);
    expect(letter.error.code).toBe('invalid_payload');
  });

  it('keeps binary junk as base64 of its first bytes', () => {
    const data = Buffer.alloc(100_000, 0xff);
    const { msg, ctx } = delivery(data);
    const letter = deadLetterOf(msg, ctx, new Error('not json'));
    expect(letter.payloadEncoding).toBe('base64');
    expect(Buffer.from(letter.payload, 'base64')).toHaveLength(DEAD_LETTER_PAYLOAD_BYTES);
  });
});
