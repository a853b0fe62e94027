import { pgConnectionEnv, urlOnDatabase } from './pg-connection-env';

describe('pgConnectionEnv', () => {
  it('turns a URL into libpq variables, decoding the password, so no tool needs it in argv', () => {
    expect(pgConnectionEnv('postgres://app%40eu:p%40ss%20w@db.internal:6432/shop?sslmode=require')).toMatchObject({
      PGHOST: 'db.internal',
      PGPORT: '6432',
      PGUSER: 'app@eu',
      PGPASSWORD: 'p@ss w',
      PGDATABASE: 'shop',
      PGSSLMODE: 'require',
    });
  });

  it('takes a socket directory from ?host= and another database when asked', () => {
    expect(pgConnectionEnv('postgresql://root@localhost/shop?host=/run/postgresql', 'scratch')).toMatchObject({ PGHOST: '/run/postgresql', PGDATABASE: 'scratch', PGUSER: 'root' });
    expect(pgConnectionEnv('postgres://root@127.0.0.1/shop')).not.toHaveProperty('PGPASSWORD');
  });

  it('points a URL at another database of the same server', () => {
    expect(urlOnDatabase('postgres://u:p@h:1/shop?sslmode=require', 'bascule_backup_check_1')).toBe('postgres://u:p@h:1/bascule_backup_check_1?sslmode=require');
  });
});
