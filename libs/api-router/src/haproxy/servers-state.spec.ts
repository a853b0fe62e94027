import { parseServerStats } from './server-stats';
import { parseServersState } from './servers-state';

describe('parseServersState', () => {
  it('reads weights by column name from HAProxy 2.6 output', () => {
    const reply =
      '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n' +
      '3 app 1 v1 127.0.0.1 2 0 100 100 1 1 0 2 0 0 0 0 - 28081 - 0 0 - - 0\n' +
      '3 app 2 v2 127.0.0.1 2 0 50 0 1 1 0 2 0 0 0 0 - 28082 - 0 0 - - 0\n\n';
    expect(parseServersState(reply)).toEqual([
      { backend: 'app', server: 'v1', address: '127.0.0.1', port: 28081, weight: 100, configuredWeight: 100 },
      { backend: 'app', server: 'v2', address: '127.0.0.1', port: 28082, weight: 50, configuredWeight: 0 },
    ]);
  });
});

describe('parseServerStats', () => {
  it('counts requests without retries and 5xx including connection and response errors', () => {
    const csv =
      '# pxname,svname,qcur,stot,econ,eresp,wretr,hrsp_5xx,rtime,ttime\n' +
      'app,v1,0,10,0,0,0,2,5,6\n' +
      'app,v3,0,4,1,0,3,0,0,0\n' +
      'app,BACKEND,0,14,1,0,3,2,5,6\n' +
      'other,v1,0,99,0,0,0,0,0,0\n';
    const stats = parseServerStats(csv, 'app');
    expect([...stats.keys()]).toEqual(['v1', 'v3']);
    expect(stats.get('v1')).toEqual({ server: 'v1', requests: 10, serverErrors: 2, averageResponseMs: 5, averageTotalMs: 6 });
    expect(stats.get('v3')).toMatchObject({ requests: 1, serverErrors: 1 });
  });
});
