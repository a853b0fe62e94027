import { z } from 'zod';
import { EmbeddedRouter, type EmbeddedRouterOptions } from './embedded/embedded-router';
import { InvalidRouterSpecError } from './errors';
import { HaproxyRouter, type HaproxyRouterOptions } from './haproxy/haproxy-router';
import type { RouterAdapter, VersionUpstream } from './router-adapter';
import { RouterSpec, VersionUpstreamSpec } from './router-spec';

/** What the spec does not carry: code hooks and tuning, per router kind. */
export interface RouterAdapterOptions {
  embedded?: Omit<EmbeddedRouterOptions, 'listen' | 'versions'>;
  haproxy?: Omit<HaproxyRouterOptions, 'socket' | 'backend' | 'versions'>;
}

/**
 * The router adapter a migration spec's `router:` asks for, started (embedded: listening) or
 * connected (HAProxy: backend and one server per version checked). Versions are in rollout order:
 * the first is the one being replaced, and takes all traffic of a freshly started embedded router.
 */
export async function createRouterAdapter(spec: unknown, versions: readonly VersionUpstream[], options: RouterAdapterOptions = {}): Promise<RouterAdapter> {
  const router = parse(RouterSpec, spec, 'router');
  const upstreams = parse(z.array(VersionUpstreamSpec).min(1), versions, 'versions');
  const names = upstreams.map(({ version }) => version);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new InvalidRouterSpecError('versions', `name "${duplicate}" twice`);
  if (router.kind === 'embedded') return EmbeddedRouter.start({ ...options.embedded, listen: router.listen, versions: upstreams });
  return HaproxyRouter.connect({ ...options.haproxy, socket: router.socket, backend: router.backend, versions: names });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidRouterSpecError([field, ...issue.path.map(String)].join('.'), issue.message, { cause: result.error });
}
