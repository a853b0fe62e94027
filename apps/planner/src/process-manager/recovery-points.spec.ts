import { RecoveryPoints } from './recovery-points';

describe('RecoveryPoints.stamp', () => {
  const decided = [
    { type: 'StepDispatched', data: { migrationId: 'm', stepId: 's' } },
    { type: 'PhaseCompleted', data: { migrationId: 'm', phaseIndex: 0, phase: 'expand', durationMs: 5 } },
  ];

  afterEach(() => {
    delete process.env['BASCULE_TARGET_CLOSED_URL'];
  });

  it('leaves the events as decided when the target is not configured or does not answer: a boundary never waits on a recovery point', async () => {
    const points = new RecoveryPoints();
    try {
      expect(await points.stamp('nowhere', decided)).toEqual(decided);
      process.env['BASCULE_TARGET_CLOSED_URL'] = 'postgres://root@127.0.0.1:1/none';
      expect(await points.stamp('closed', decided)).toEqual(decided);
    } finally {
      await points.onApplicationShutdown();
    }
  });

  it('does not ask the target when no boundary was decided', async () => {
    const points = new RecoveryPoints();
    const onlyDispatch = [decided[0]];
    // Nothing to stamp: the very same array back, and the (unconfigured) target never asked.
    expect(await points.stamp('nowhere', onlyDispatch)).toBe(onlyDispatch);
    await points.onApplicationShutdown();
  });
});
