import { maskUrl, scrubSecrets } from './connection-url';

describe('maskUrl', () => {
  it('replaces the password and keeps everything an operator needs to recognise the server', () => {
    expect(maskUrl('postgres://app:s3cr%40t@db.internal:5433/bascule?sslmode=require')).toBe(
      'postgres://app:***@db.internal:5433/bascule?sslmode=require',
    );
    expect(maskUrl('nats://user:pw@127.0.0.1:4222')).toBe('nats://user:***@127.0.0.1:4222');
  });

  it('leaves a URL without a password unchanged', () => {
    expect(maskUrl('postgres://root@127.0.0.1:5432/bascule')).toBe('postgres://root@127.0.0.1:5432/bascule');
    expect(maskUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });

  it('masks a password given as a query parameter', () => {
    expect(maskUrl('postgres://app@db/bascule?password=hunter2&sslmode=disable')).toBe(
      'postgres://app@db/bascule?password=***&sslmode=disable',
    );
  });

  it('still masks when the text is not a parseable URL', () => {
    expect(maskUrl('postgres://app:hunter2@db:notaport/x')).not.toContain('hunter2');
    expect(maskUrl('host=db password=hunter2')).toBe('host=db password=***');
  });
});

describe('scrubSecrets', () => {
  it('removes the URL password from a driver message that quotes it', () => {
    const url = 'postgres://app:hunter2@db:5432/bascule';
    expect(scrubSecrets(`could not use ${url}: hunter2 rejected`, url)).toBe(
      'could not use postgres://app:***@db:5432/bascule: *** rejected',
    );
  });
});
