import { StepTrafficGuard } from './step-traffic-guard';

describe('StepTrafficGuard', () => {
  it('runs canary shifts in turn until the step is rolled back, then none', async () => {
    const guard = new StepTrafficGuard();
    const applied: string[] = [];
    expect(await guard.canary(async () => void applied.push('5 %'))).toBe(true);
    await guard.rollback(async () => void applied.push('back'));
    expect(await guard.canary(async () => void applied.push('25 %'))).toBe(false);
    expect(applied).toEqual(['5 %', 'back']);
    expect(guard.canaryCancelled.aborted).toBe(true);
  });

  it('lets a canary shift already running finish before the rollback applies, so the rollback is last', async () => {
    const guard = new StepTrafficGuard();
    const applied: string[] = [];
    let release!: () => void;
    let started!: () => void;
    const running25 = new Promise<void>((resolve) => (started = resolve));
    const running = guard.canary(() => {
      started();
      return new Promise<void>((resolve) => (release = () => resolve(void applied.push('25 %'))));
    });
    await running25;
    const queued = guard.canary(async () => void applied.push('50 %'));
    const rollback = guard.rollback(async () => void applied.push('back'));
    release();
    await Promise.all([running, queued, rollback]);
    expect(applied).toEqual(['25 %', 'back']);
    expect(await queued).toBe(false);
  });
});
