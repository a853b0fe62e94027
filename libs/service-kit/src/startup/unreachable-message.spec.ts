import { START_NATS_COMMAND, START_POSTGRES_COMMAND } from './start-commands';
import { describeUnreachable, reasonOf } from './unreachable-message';

describe('describeUnreachable', () => {
  it('is one line naming the dependency, its URL, the cause and the command that starts it', () => {
    const line = describeUnreachable([{ dependency: 'NATS', url: 'nats://127.0.0.1:1', reason: 'CONNECTION_REFUSED' }]);
    expect(line).toBe(`cannot reach NATS at nats://127.0.0.1:1 (CONNECTION_REFUSED); start it with: ${START_NATS_COMMAND}`);
  });

  it('puts both failures and both commands on the same single line, password masked', () => {
    const line = describeUnreachable([
      { dependency: 'Postgres', url: 'postgres://root:hunter2@127.0.0.1:1/bascule', reason: 'connect ECONNREFUSED\n127.0.0.1:1 (hunter2)' },
      { dependency: 'NATS', url: 'nats://127.0.0.1:1', reason: 'CONNECTION_REFUSED' },
    ]);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toContain('hunter2');
    expect(line).toContain('Postgres at postgres://root:***@127.0.0.1:1/bascule (connect ECONNREFUSED 127.0.0.1:1 (***))');
    expect(line).toContain(`start them with: ${START_POSTGRES_COMMAND} ; ${START_NATS_COMMAND}`);
  });
});

describe('reasonOf', () => {
  it('falls back to the code when Node gives an empty message (IPv4 and IPv6 both refused)', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(reasonOf(refused)).toBe('ECONNREFUSED');
    expect(reasonOf(new Error('timeout'))).toBe('timeout');
    expect(reasonOf('plain')).toBe('plain');
  });
});
