import { z } from 'zod';
import { Duration, evenWithOtherProblems } from './spec-values';

/**
 * The `api` step (ARCHITECTURE.md "API steps": the shape is a contract): a service moved from the
 * version running to the version rolled out through a router, canary step by canary step, each
 * judged by the monitor's judge (new against old in the same window), with the two versions'
 * OpenAPI documents diffed at plan time.
 */

const HOST_PORT = /^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export const EmbeddedRouterSpec = z.strictObject({
  kind: z.literal('embedded'),
  listen: z.string().regex(HOST_PORT, 'listen is host:port, like 127.0.0.1:8080').describe('Where the api-agent serves the routed traffic'),
});

export const HaproxyRouterSpec = z.strictObject({
  kind: z.literal('haproxy'),
  socket: z.string().min(1).describe("Path of HAProxy's admin socket (stats socket … level admin)"),
  backend: z.string().min(1).max(200).describe("The backend whose servers are named after the versions (docs/api-router.md)"),
});

export const ApiRouterSpec = z.discriminatedUnion('kind', [EmbeddedRouterSpec, HaproxyRouterSpec], { error: 'router.kind is embedded or haproxy' });

/** An OpenAPI 3.0/3.1 document, inline or `file:<path>` relative to the spec. */
export const OpenApiSource = z.union([z.string().regex(/^file:.+/, 'openapi is a document or "file:<path>"'), z.record(z.string(), z.unknown())]);

const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const ApiVersionSpec = z.strictObject({
  version: z.string().regex(VERSION_NAME, 'a version is 1–63 letters, digits, ".", "_" or "-" (it names the router\'s server)'),
  upstream: z.url({ protocol: /^https?$/, error: 'upstream is an http(s) URL' }).describe('Where this version serves'),
  openapi: OpenApiSource.describe('Its OpenAPI document: inline, or "file:<path>" relative to the spec'),
});

export const DEFAULT_CANARY_STEPS = [5, 25, 50, 100];

export const CanarySpec = z.strictObject({
  steps: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .max(20)
    .default(DEFAULT_CANARY_STEPS)
    .describe("Percent of traffic on the new version, step after step; rising, ending at 100")
    .refine((steps) => steps.every((share, index) => index === 0 || share > steps[index - 1]), 'canary steps rise strictly')
    .refine((steps) => steps.at(-1) === 100, 'the last canary step is 100'),
  interval: Duration.default('30s').describe('How long each step serves before it is judged'),
});

export const BREAKING_POLICIES = ['block', 'approve', 'allow'] as const;

export const ApiStepBody = z
  .strictObject({
    service: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'a service name is a-z, 0-9 and "-"'),
    router: ApiRouterSpec,
    from: ApiVersionSpec.describe('The version running now'),
    to: ApiVersionSpec.describe('The version to roll out'),
    canary: CanarySpec.default({ steps: DEFAULT_CANARY_STEPS, interval: '30s' }),
    breaking: z.enum(BREAKING_POLICIES).default('block').describe('Error-level contract changes: block the plan (400), wait for an approval, or allow'),
  })
  .superRefine((body, ctx) => {
    if (body.from?.version !== undefined && body.from.version === body.to?.version) {
      ctx.addIssue({ code: 'custom', path: ['to', 'version'], message: `to.version must differ from from.version ("${body.from.version}")` });
    }
  }, evenWithOtherProblems);
export type ApiStepBody = z.infer<typeof ApiStepBody>;
