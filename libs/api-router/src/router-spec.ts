import { z } from 'zod';

/** `router:` of a migration spec: the embedded proxy, or an HAProxy driven over its admin socket. */
export const RouterSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded'), listen: z.string().min(1) }),
  z.object({ kind: z.literal('haproxy'), socket: z.string().min(1), backend: z.string().min(1) }),
]);
export type RouterSpec = z.infer<typeof RouterSpec>;

/** One version of the service: its name, and the origin it listens on. */
export const VersionUpstreamSpec = z.object({
  version: z.string().min(1),
  upstream: z.url({ protocol: /^https?$/ }).refine((upstream) => ['', '/'].includes(new URL(upstream).pathname), {
    message: 'must be an origin such as http://127.0.0.1:8081, without a path',
  }),
});
