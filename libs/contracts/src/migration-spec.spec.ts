import { durationToMs, MigrationSpec, MAX_DURATION_MS, stepKind, targetUrlEnvName } from './migration-spec';

describe('migration spec contract', () => {
  it('reads durations like 72h, 30m, 0s, 1d12h and 250ms', () => {
    expect(durationToMs('72h')).toBe(72 * 3600_000);
    expect(durationToMs('30m')).toBe(30 * 60_000);
    expect(durationToMs('0s')).toBe(0);
    expect(durationToMs('1d12h30m15s')).toBe(((36 * 60 + 30) * 60 + 15) * 1000);
    expect(durationToMs('250ms')).toBe(250);
    expect(durationToMs('1m30s250ms')).toBe(90_250);
    for (const bad of ['', '72', 'h', '3 days', '30m1h', '1.5h', '-1h', '1h1h', '72H', '250sm', '1ms1s', '5msm']) expect(durationToMs(bad)).toBeNull();
  });

  it('caps the rollback window at a year', () => {
    const spec = (window: string) => ({ name: 'm', target: 'app', phases: [{ name: 'p', steps: [{ id: 'a', approval: {} }] }], rollback: { window } });
    expect(MigrationSpec.safeParse(spec('365d')).success).toBe(true);
    expect(durationToMs('365d')).toBe(MAX_DURATION_MS);
    expect(MigrationSpec.safeParse(spec('366d')).success).toBe(false);
    expect(MigrationSpec.safeParse(spec('999999h')).success).toBe(false);
  });

  it('names the env variable of a target', () => {
    expect(targetUrlEnvName('app')).toBe('BASCULE_TARGET_APP_URL');
    expect(targetUrlEnvName('billing_db')).toBe('BASCULE_TARGET_BILLING_DB_URL');
  });

  it('tells the kind of a parsed step', () => {
    const parsed = MigrationSpec.parse({ name: 'm', target: 'app', phases: [{ name: 'p', steps: [{ id: 'a', sql: { up: 'SELECT 1', irreversible: true } }] }] });
    expect(stepKind(parsed.phases[0].steps[0])).toBe('sql');
  });
});
