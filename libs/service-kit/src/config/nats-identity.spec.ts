import { serviceNatsIdentity } from './nats-identity';

describe('serviceNatsIdentity', () => {
  it("gives each service its own NATS user or creds file, and leaves the environment's when none is set", () => {
    const env = { BASCULE_NATS_USER_ROLLBACK_MANAGER: 'rollback-manager', BASCULE_NATS_PASSWORD_ROLLBACK_MANAGER: 'pw', BASCULE_NATS_CREDS_PLANNER: '/etc/bascule/planner.creds' };
    expect(serviceNatsIdentity('rollback-manager', env)).toEqual({ NATS_CREDS: '', NATS_USER: 'rollback-manager', NATS_PASSWORD: 'pw' });
    expect(serviceNatsIdentity('planner', env)).toEqual({ NATS_CREDS: '/etc/bascule/planner.creds', NATS_USER: '', NATS_PASSWORD: '' });
    expect(serviceNatsIdentity('monitor', env)).toEqual({});
  });
});
