/**
 * Every string of package.json that a person reads (titles, descriptions, view names, the welcome
 * text) is a %key% from package.nls.json, so a translation (package.nls.<locale>.json) covers the
 * whole manifest; every key is used; every enum setting describes each of its values.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** [JSON path, value] of every string under the manifest's human-readable fields. */
function readableStrings(manifest: Record<string, Json>): [string, string][] {
  const out: [string, string][] = [];
  const readable = new Set(['displayName', 'description', 'markdownDescription', 'title', 'category', 'name', 'contextualTitle',
    'contents', 'enumDescriptions', 'markdownEnumDescriptions', 'altText', 'aliases']);
  const walk = (value: Json, at: string, inReadable: boolean): void => {
    if (typeof value === 'string') {
      if (inReadable) out.push([at, value]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`, inReadable));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, readable.has(k));
    }
  };
  walk(manifest.displayName, 'displayName', true);
  walk(manifest.description, 'description', true);
  walk(manifest.contributes, 'contributes', false);
  walk(manifest.capabilities, 'capabilities', false);
  return out;
}

describe('package.json strings come from package.nls.json', () => {
  const manifest = read('package.json') as Record<string, Json>;
  const nls = read('package.nls.json') as Record<string, string>;
  const strings = readableStrings(manifest);

  it('every readable manifest string is a %key% that package.nls.json defines', () => {
    assert.ok(strings.length > 50, `only ${strings.length} strings found: the walk missed the manifest`);
    const literal = strings.filter(([, v]) => !/^%[^%]+%$/.test(v));
    assert.deepEqual(literal, []);
    const undefinedKeys = strings.filter(([, v]) => typeof nls[v.slice(1, -1)] !== 'string' || nls[v.slice(1, -1)] === '');
    assert.deepEqual(undefinedKeys, []);
  });

  it('every package.nls.json key is used', () => {
    const used = new Set(strings.map(([, v]) => v.slice(1, -1)));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
  });

  it('every enum setting describes each of its values', () => {
    const properties = (manifest.contributes as { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[] }> } })
      .configuration.properties;
    const enums = Object.entries(properties).filter(([, p]) => p.enum);
    assert.ok(enums.length >= 3);
    for (const [name, p] of enums) {
      assert.equal(p.enumDescriptions?.length, p.enum!.length, `${name}: enumDescriptions do not match enum`);
    }
  });

  it('the .vsix carries package.nls.json', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!package.nls.json'), '.vscodeignore leaves package.nls.json out of the .vsix');
  });
});
