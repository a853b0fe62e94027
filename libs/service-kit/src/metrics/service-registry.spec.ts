import { createServiceRegistry } from './service-registry';

describe('createServiceRegistry', () => {
  it('exposes bascule_service_info{service} = 1 and the Node default metrics', async () => {
    const text = await createServiceRegistry('data-verifier').metrics();
    expect(text).toContain('bascule_service_info{service="data-verifier"} 1');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('keeps two services apart (no shared global registry)', async () => {
    createServiceRegistry('planner');
    const text = await createServiceRegistry('monitor').metrics();
    expect(text).not.toContain('service="planner"');
  });
});
