import { parseHttpLogLine } from './http-log-line';

describe('parseHttpLogLine', () => {
  it('reads backend, server, status and Ta from an httplog line received over syslog', () => {
    const line =
      '<134>Dec  7 11:58:38 haproxy[8110]: 127.0.0.1:51164 [07/Dec/2026:11:58:38.991] fe app/v1 0/0/0/21/23 200 146 - - ---- 1/1/0/0/0 0/0 "GET /x?y=1 HTTP/1.1"';
    expect(parseHttpLogLine(line)).toEqual({ backend: 'app', server: 'v1', status: 200, totalMs: 23 });
  });

  it('reads the 503 HAProxy sends when the server refuses (Tr = -1)', () => {
    const line = '<134>Dec  7 12:00:00 haproxy[1]: 127.0.0.1:1 [07/Dec/2026:12:00:00.000] web app/v2 0/0/-1/-1/3 503 217 - - SC-- 1/1/0/0/3 0/0 "GET / HTTP/1.1"';
    expect(parseHttpLogLine(line)).toEqual({ backend: 'app', server: 'v2', status: 503, totalMs: 3 });
  });

  it('reads Ta with the "+" of option logasap', () => {
    const line = '127.0.0.1:1 [07/Dec/2026:12:00:00.000] web~ app/v2 0/0/1/5/+6 200 10 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"';
    expect(parseHttpLogLine(line)).toMatchObject({ server: 'v2', totalMs: 6 });
  });

  it('keeps <NOSRV> lines for the caller to drop by name', () => {
    const line = '127.0.0.1:1 [07/Dec/2026:12:00:00.000] web app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"';
    expect(parseHttpLogLine(line)).toMatchObject({ server: '<NOSRV>', status: 503 });
  });

  it('is null for lines that are not request logs', () => {
    expect(parseHttpLogLine('<132>Dec  7 11:58:41 haproxy[8110]: Proxy app stopped (cumulated conns: FE: 0, BE: 8).')).toBeNull();
    expect(parseHttpLogLine('')).toBeNull();
  });
});
