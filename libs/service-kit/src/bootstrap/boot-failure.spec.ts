import { DependenciesUnreachableError, InvalidPortError } from '../service-kit.errors';
import { bootFailureLine } from './boot-failure';

describe('bootFailureLine', () => {
  it('prefixes a typed error with the service name, on one line', () => {
    expect(bootFailureLine('planner', new InvalidPortError('PORT', 'x'))).toBe(
      'planner: PORT="x" is not a port: use a whole number from 1 to 65535',
    );
  });

  it('explains a port held by another process', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use :::3000'), { code: 'EADDRINUSE' });
    expect(bootFailureLine('planner', inUse)).toMatch(/^planner: cannot listen: listen EADDRINUSE.*another process holds the port/);
  });

  it('never prints a password from the connection URLs, nor a stack', () => {
    const url = 'postgres://root:hunter2@db:5432/bascule';
    const error = new Error(`bad\n    at somewhere (${url})`);
    const line = bootFailureLine('monitor', error, { databaseUrl: url });
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('\n');
    expect(bootFailureLine('monitor', new DependenciesUnreachableError(`x ${url}`), { databaseUrl: url })).not.toContain('hunter2');
  });
});
