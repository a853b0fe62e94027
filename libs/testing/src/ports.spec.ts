import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './ports';

describe('freePorts', () => {
  it('hands out distinct ports below the ephemeral range, each claimed for this process', async () => {
    const [first, second] = await Promise.all([freePorts(25), freePorts(25)]);
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(50);
    for (const port of all) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
      expect(readFileSync(join(tmpdir(), 'bascule-test-ports', String(port)), 'utf8')).toBe(String(process.pid));
    }
    const later = await freePorts(25);
    expect(later.filter((port) => all.includes(port))).toEqual([]);
  });
});
