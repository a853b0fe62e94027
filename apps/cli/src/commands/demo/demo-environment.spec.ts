import { demoServiceEnv } from './demo-environment';

describe('demoServiceEnv', () => {
  it("points the services at the demo's databases and bus prefix, dropping what would reach the user's stack", () => {
    const env = demoServiceEnv(
      { PATH: '/bin', PORT: '3000', BASCULE_PORT_PLANNER: '4000', BASCULE_TARGET_BILLING_URL: 'postgres://prod/billing', BASCULE_BUS_PREFIX: 'bascule' },
      { natsUrl: 'nats://n:4222', appUrl: 'postgres://root@db:5432/bascule_demo_app', eventsUrl: 'postgres://root@db:5432/bascule_demo_events' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      NATS_URL: 'nats://n:4222',
      BASCULE_DATABASE_URL: 'postgres://root@db:5432/bascule_demo_events',
      BASCULE_BUS_PREFIX: 'demo',
      BASCULE_TARGET_APP_URL: 'postgres://root@db:5432/bascule_demo_app',
    });
  });
});
