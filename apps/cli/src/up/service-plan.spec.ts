import { InvalidPortError } from '@bascule/service-kit';
import { duplicatePorts, planServices } from './service-plan';

describe('planServices', () => {
  it('runs the six services on their contract ports by default, each from its compiled main.js', () => {
    const plan = planServices('/repo', {});
    expect(plan.map(({ name, port, url }) => `${name} ${port} ${url}`)).toEqual([
      'planner 3000 http://127.0.0.1:3000',
      'schema-agent 3001 http://127.0.0.1:3001',
      'api-agent 3002 http://127.0.0.1:3002',
      'data-verifier 3003 http://127.0.0.1:3003',
      'rollback-manager 3004 http://127.0.0.1:3004',
      'monitor 3005 http://127.0.0.1:3005',
    ]);
    expect(plan[1].entry).toBe('/repo/dist/apps/schema-agent/src/main.js');
  });

  it('moves all six with a base port and one with BASCULE_PORT_<SERVICE>, ignoring PORT', () => {
    const plan = planServices('/repo', { BASCULE_PORT_DATA_VERIFIER: '9100', PORT: '1' }, 4000);
    expect(plan.map(({ port }) => port)).toEqual([4000, 4001, 4002, 9100, 4004, 4005]);
  });

  it('refuses a bad per-service port, naming the variable', () => {
    expect(() => planServices('/repo', { BASCULE_PORT_MONITOR: 'ninety' })).toThrow(InvalidPortError);
  });
});

describe('duplicatePorts', () => {
  it('names the two services given the same port', () => {
    const plan = planServices('/repo', { BASCULE_PORT_MONITOR: '3000' });
    expect(duplicatePorts(plan)).toBe('planner and monitor are both given port 3000');
    expect(duplicatePorts(planServices('/repo', {}))).toBeUndefined();
  });
});
