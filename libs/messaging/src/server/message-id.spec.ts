import { headers } from 'nats';
import { messageIdOf } from './message-id';

const info = { stream: 'BASCULE_CMDS' } as Parameters<typeof messageIdOf>[0]['info'];

describe('messageIdOf', () => {
  it('uses the Nats-Msg-Id the sender set', () => {
    const h = headers();
    h.set('Nats-Msg-Id', 'cmd-123');
    expect(messageIdOf({ headers: h, info, seq: 9 })).toBe('cmd-123');
  });

  it('falls back to stream and sequence for a plain publish without headers', () => {
    expect(messageIdOf({ headers: undefined, info, seq: 9 })).toBe('BASCULE_CMDS#9');
  });
});
