import { InvalidPortError, UnknownServiceError } from '../service-kit.errors';
import { assertServiceName, parsePort, portEnvName, SERVICE_NAMES, servicePort, supervisedPort } from './service-ports';

describe('service ports', () => {
  it('lists the six services in the order of the architecture table, on 3000-3005 by default', () => {
    expect(SERVICE_NAMES).toEqual(['planner', 'schema-agent', 'api-agent', 'data-verifier', 'rollback-manager', 'monitor']);
    expect(SERVICE_NAMES.map((name) => supervisedPort(name, {}))).toEqual([3000, 3001, 3002, 3003, 3004, 3005]);
  });

  it('lets PORT (the contract) override a single service default', () => {
    expect(servicePort(3001, {})).toBe(3001);
    expect(servicePort(3001, { PORT: '8080' })).toBe(8080);
    expect(servicePort(3001, { PORT: '' })).toBe(3001);
  });

  it('names the per-service env variable of `bascule up`', () => {
    expect(portEnvName('schema-agent')).toBe('BASCULE_PORT_SCHEMA_AGENT');
    expect(portEnvName('planner')).toBe('BASCULE_PORT_PLANNER');
  });

  it('gives up: BASCULE_PORT_<SERVICE> first, then base port + position, then the default', () => {
    const env = { BASCULE_PORT_MONITOR: '9999', PORT: '1234' };
    expect(supervisedPort('monitor', env, 4000)).toBe(9999);
    expect(supervisedPort('api-agent', env, 4000)).toBe(4002);
    expect(supervisedPort('api-agent', env)).toBe(3002);
  });

  it('refuses a port that is not a whole number from 1 to 65535, naming where it came from', () => {
    for (const bad of ['0', '65536', '-1', '30.5', 'abc', ' ', '3e3']) {
      expect(() => parsePort(bad, 'PORT')).toThrow(InvalidPortError);
    }
    expect(() => servicePort(3000, { PORT: 'http' })).toThrow('PORT="http" is not a port');
    expect(() => supervisedPort('planner', { BASCULE_PORT_PLANNER: 'x' })).toThrow('BASCULE_PORT_PLANNER="x"');
    expect(() => supervisedPort('monitor', {}, 65533)).toThrow('--base-port="65533"');
  });

  it('rejects an unknown service name', () => {
    expect(() => assertServiceName('planer')).toThrow(UnknownServiceError);
    expect(assertServiceName('monitor')).toBe('monitor');
  });
});
