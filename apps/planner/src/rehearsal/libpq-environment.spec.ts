import { libpqEnvironment } from './libpq-environment';

describe('libpqEnvironment', () => {
  it('puts every part of the URL, the password included, in PG* variables', () => {
    expect(libpqEnvironment('postgres://app%40ops:s3cr%2Ft@db.internal:6432/shop%20db?sslmode=require&application_name=bascule')).toEqual({
      PGHOST: 'db.internal',
      PGPORT: '6432',
      PGUSER: 'app@ops',
      PGPASSWORD: 's3cr/t',
      PGDATABASE: 'shop db',
      PGSSLMODE: 'require',
      PGAPPNAME: 'bascule',
    });
  });

  it('takes a socket directory or an IPv6 address as the host', () => {
    expect(libpqEnvironment('postgresql://root@localhost/app?host=/var/run/postgresql')).toEqual({ PGUSER: 'root', PGDATABASE: 'app', PGHOST: '/var/run/postgresql' });
    expect(libpqEnvironment('postgres://root@[::1]:5432/app')).toMatchObject({ PGHOST: '::1', PGPORT: '5432' });
  });

  it('refuses what it cannot pass, naming the part and never the URL', () => {
    const refusal = (url: string) => {
      try {
        libpqEnvironment(url);
      } catch (error) {
        return error as Error & { code: string };
      }
      throw new Error('accepted');
    };
    expect(refusal('postgres://u:hunter2@h/d?keepalives_weird=1')).toMatchObject({ code: 'UNSUPPORTED_CONNECTION_URL', message: expect.stringContaining('keepalives_weird') });
    expect(refusal('postgres://u:hunter2@h/d?keepalives_weird=1').message).not.toContain('hunter2');
    expect(refusal('mysql://u:hunter2@h/d').message).not.toContain('hunter2');
    expect(refusal('not a url hunter2').message).not.toContain('hunter2');
  });
});
