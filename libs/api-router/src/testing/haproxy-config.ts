import type { VersionUpstream } from '../router-adapter';

export interface HaproxyConfigInput {
  /** Port of the HTTP frontend. */
  port: number;
  adminSocket: string;
  /** A second socket at `level user`, to check what a non-admin socket does. */
  userSocket: string;
  serverStateFile: string;
  backend: string;
  servers: readonly VersionUpstream[];
  /** Weight of each server in the file (default: 100 for the first, 0 for the others). */
  weights?: Record<string, number>;
  /** UDP port of a syslog receiver for `option httplog` lines. */
  logPort?: number;
}

/** The configuration docs/api-router.md asks users for, with every path and port this test's own. */
export function haproxyConfig(input: HaproxyConfigInput): string {
  const servers = input.servers.map(({ version, upstream }, index) => {
    const { hostname, port } = new URL(upstream);
    const weight = input.weights?.[version] ?? (index === 0 ? 100 : 0);
    return `  server ${version} ${hostname}:${port} weight ${weight}`;
  });
  return [
    'global',
    `  stats socket ${input.adminSocket} mode 600 level admin`,
    `  stats socket ${input.userSocket} mode 600 level user`,
    `  server-state-file ${input.serverStateFile}`,
    ...(input.logPort ? [`  log 127.0.0.1:${input.logPort} len 4096 local0 info`] : []),
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 30s',
    '  load-server-state-from-file global',
    ...(input.logPort ? ['  log global', '  option httplog'] : []),
    '',
    'frontend web',
    `  bind 127.0.0.1:${input.port}`,
    `  default_backend ${input.backend}`,
    '',
    `backend ${input.backend}`,
    '  balance roundrobin',
    ...servers,
    '',
  ].join('\n');
}
