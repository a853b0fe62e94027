import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces one bench's section of docs/benchmarks.md (from its heading to the next `## `), or
 * appends it; other benches own the other sections, so the rest of the file is kept as it is.
 */
export function upsertSection(path: string, heading: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(`${heading}\n`);
  const body = section.endsWith('\n') ? section : `${section}\n`;
  if (start === -1) {
    writeFileSync(path, `${current.trimEnd()}\n\n${body}`);
    return;
  }
  const next = current.indexOf('\n## ', start + heading.length);
  const rest = next === -1 ? '' : `\n${current.slice(next + 1)}`;
  writeFileSync(path, `${current.slice(0, start)}${body}${rest}`);
}
