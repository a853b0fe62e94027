import { DEMO_APP_DATABASE } from './demo-environment';
import { DEMO_SPECS_DIR, ROLLBACK_SPEC } from './demo-specs';

/** What a user can try after the demo, with the commands exactly as they would type them. */
export function nextSteps(serverUrl: string): string[] {
  const app = new URL(serverUrl);
  app.pathname = `/${DEMO_APP_DATABASE}`;
  const spec = `${DEMO_SPECS_DIR}/${ROLLBACK_SPEC}`;
  return [
    'What to try next (the demo database stays; your own stack uses the default ports, event store and bus prefix):',
    `  export BASCULE_TARGET_APP_URL=${app.toString()}`,
    './bin/bascule up                                   # planner on :3000, the others on :3001-3005; Ctrl-C stops them',
    `curl -s -X POST localhost:3000/migrations -H 'Content-Type: application/yaml' --data-binary @${spec}`,
    'curl -s -X POST localhost:3000/migrations/<id>/start -H "X-Bascule-User: $USER"',
    'curl -sN localhost:3000/migrations/<id>/stream      # the migration\'s events, live',
    './bin/bascule migrations watch <id>                # a line per change, until it rests',
    './bin/bascule rollback <id> --reason "p99 latency doubled"   # the on-call command over NATS (or: nats pub bascule.cmd.rollback \'{...}\')',
    './bin/bascule migrations report <id>               # Markdown: what changed, timings, verification, who and why',
    `./bin/bascule schema status --database-url ${app.toString()}`,
    'open http://127.0.0.1:3000/docs                     # OpenAPI; the spec\'s JSON Schema: GET /schema/migration.json',
  ].map((line, index) => (index === 0 || line.startsWith('  ') ? line : `  ${line}`));
}
