export * from './haproxy-config';
export * from './haproxy-instance';
export * from './load-generator';
export * from './temp-dir';
export * from './version-upstream';
export * from './wait-until';
