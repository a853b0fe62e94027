import { commandConsumerName, durableName, eventsConsumerName, legacyEventsConsumerName } from './consumer-names';

describe('consumer names', () => {
  it('keeps names JetStream accepts as they are', () => {
    expect(eventsConsumerName('rollback-manager', 'StepFailed')).toBe('rollback-manager-events-StepFailed');
    expect(legacyEventsConsumerName('rollback-manager')).toBe('rollback-manager-events');
    expect(commandConsumerName('rollback')).toBe('cmd-rollback');
  });

  it('replaces characters JetStream forbids and keeps different names apart', () => {
    const dotted = commandConsumerName('schema.start');
    const underscored = commandConsumerName('schema_start');
    expect(dotted).toMatch(/^cmd-schema_start-[0-9a-f]{8}$/);
    expect(underscored).toBe('cmd-schema_start');
    expect(dotted).not.toBe(underscored);
    expect(durableName('a b>c*')).not.toMatch(/[ .>*]/);
  });
});
