import { pgDumpInvocation } from './schema-dump';

describe('pgDumpInvocation', () => {
  it('keeps the connection, password included, off the command line', () => {
    const { args, env } = pgDumpInvocation('postgres://app:hunter2@db.internal:6432/shop', ['public', 'public_v2']);
    expect(args).toEqual(['--schema-only', '--no-owner', '--no-privileges', '--schema', 'public', '--schema', 'public_v2']);
    expect(args.join(' ')).not.toMatch(/hunter2|db\.internal|postgres:/);
    expect(env).toMatchObject({ PGPASSWORD: 'hunter2', PGHOST: 'db.internal', PGPORT: '6432', PGUSER: 'app', PGDATABASE: 'shop' });
  });
});
