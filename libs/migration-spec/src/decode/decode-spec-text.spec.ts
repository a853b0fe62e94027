import { decodeSpecText, MAX_SPEC_TEXT_BYTES, specFormatOf } from './decode-spec-text';

describe('decodeSpecText', () => {
  it('chooses JSON only for a JSON content type', () => {
    expect(specFormatOf('application/json; charset=utf-8')).toBe('json');
    expect(specFormatOf('application/yaml')).toBe('yaml');
    expect(specFormatOf('text/yaml')).toBe('yaml');
    expect(specFormatOf(undefined)).toBe('yaml');
  });

  it('locates every YAML syntax error by line and column', () => {
    const result = decodeSpecText('name: m\nphases:\n  - name: a\n    steps: [\n  - id: {b\n', 'yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.length).toBeGreaterThanOrEqual(1);
    expect(result.problems[0]).toMatchObject({ path: '', code: 'invalid_yaml', line: 5, column: 3 });
    expect(result.problems[0].message).toMatch(/^not valid YAML \(line 5, column 3\): /);
  });

  it('refuses duplicate keys and unresolved aliases', () => {
    const duplicate = decodeSpecText('name: a\ntarget: app\nname: b\n', 'yaml');
    expect(duplicate).toMatchObject({ ok: false, problems: [{ code: 'invalid_yaml', line: 3, column: 1 }] });
    expect(decodeSpecText('name: *nowhere\n', 'yaml')).toMatchObject({ ok: false, problems: [{ code: 'invalid_yaml' }] });
  });

  it('caps alias expansion (billion laughs)', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]'].join('\n');
    expect(decodeSpecText(bomb, 'yaml')).toMatchObject({ ok: false, problems: [{ code: 'invalid_yaml' }] });
  });

  it('reports invalid JSON, with its location when it can be found', () => {
    const located = decodeSpecText('{"name": "m",\n "target" "app"}', 'json');
    expect(located).toMatchObject({ ok: false, problems: [{ path: '', code: 'invalid_json', line: 2, column: 11 }] });
    const unlocated = decodeSpecText('{"name": "m",\n "target": }', 'json');
    expect(unlocated).toMatchObject({ ok: false, problems: [{ path: '', code: 'invalid_json' }] });
    expect(unlocated.ok === false && unlocated.problems[0].line).toBeUndefined();
  });

  it('reports a hostile nesting depth as a problem instead of crashing', () => {
    const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
    const yaml = decodeSpecText(deep, 'yaml');
    expect(yaml.ok).toBe(false);
    if (yaml.ok) return;
    expect(yaml.problems[0]).toMatchObject({ code: 'invalid_yaml' });
    expect(yaml.problems.length).toBeLessThanOrEqual(20);
    expect(decodeSpecText(deep, 'json').ok).toBe(true); // V8's JSON.parse copes; the spec check then refuses a list
  });

  it('decodes YAML and JSON', () => {
    expect(decodeSpecText('name: m\n', 'yaml')).toEqual({ ok: true, document: { name: 'm' } });
    expect(decodeSpecText('{"name": "m"}', 'json')).toEqual({ ok: true, document: { name: 'm' } });
  });

  it('refuses a text over the size limit before parsing it', () => {
    expect(decodeSpecText(`name: ${'x'.repeat(MAX_SPEC_TEXT_BYTES)}`, 'yaml')).toMatchObject({ ok: false, problems: [{ code: 'spec_too_large' }] });
  });
});
