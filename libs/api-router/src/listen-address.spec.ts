import { isInvalidRouterSpecError } from './errors';
import { parseListenAddress } from './listen-address';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('reads %s', (listen, expected) => {
    expect(parseListenAddress(listen)).toEqual(expected);
  });

  it.each(['8080', ':8080', '127.0.0.1', '127.0.0.1:99999', '::1:8080'])('refuses %s with a typed error', (listen) => {
    let caught: unknown;
    try {
      parseListenAddress(listen);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidRouterSpecError(caught)).toBe(true);
    expect((caught as Error).message).toContain(`router.listen is "${listen}"`);
  });
});
