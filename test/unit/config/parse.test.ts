import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type Finding, type JsonObject } from '../../../src/core/config/types';
import { parseConfig, parseConfigBuffer, parseConfigFile } from '../../../src/core/config/parse';
import { decodeVersion, formatVersion, SUPPORTED_VERSIONS } from '../../../src/core/config/version';
import { generateCluster } from './generator';
import { refusal } from './refusal';

function small(): JsonObject {
  return generateCluster({ name: 'parse', nodes: 2, instancesPerNode: 1 }) as JsonObject;
}


function expectRefused(fn: () => unknown, code: string, pattern: RegExp): Finding[] {
  const findings = refusal(fn);
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.code === code && f.severity === 'error'), findings.map((f) => `${f.code} ${f.message}`).join('\n'));
  assert.ok(findings.some((f) => pattern.test(f.message)), findings.map((f) => f.message).join('\n'));
  return findings;
}

describe('config/version', () => {
  it('decodes and formats Ganeti version numbers', () => {
    assert.deepStrictEqual(decodeVersion(3010000), { major: 3, minor: 1, revision: 0 });
    assert.deepStrictEqual(decodeVersion(2160003), { major: 2, minor: 16, revision: 3 });
    assert.strictEqual(formatVersion(3000000), '3.0');
    assert.strictEqual(formatVersion(2160000), '2.16');
    assert.deepStrictEqual([...SUPPORTED_VERSIONS], [2160000, 3000000, 3010000]);
  });
});

describe('config/parse: accepted inputs', () => {
  it('reads the one-line form Ganeti writes and the pretty form alike', () => {
    const c = small();
    const oneLine = parseConfig(JSON.stringify(c) + '\n', 'a');
    const pretty = parseConfig(JSON.stringify(c, null, 4), 'b');
    assert.deepStrictEqual(oneLine, c);
    assert.deepStrictEqual(pretty, c);
  });

  it('accepts all three supported versions', () => {
    for (const version of SUPPORTED_VERSIONS) {
      assert.strictEqual(parseConfig(JSON.stringify({ ...small(), version }), 'v').version, version);
    }
  });

  it('parses a 10,000-instance config (~15 MB) within seconds', function () {
    this.timeout(60000);
    const text = JSON.stringify(generateCluster({ name: 'big', nodes: 2500, instancesPerNode: 4 }));
    const started = Date.now();
    const c = parseConfig(text, 'big');
    const ms = Date.now() - started;
    assert.strictEqual(Object.keys(c.instances).length, 10000);
    assert.ok(ms < 10000, `took ${ms} ms`);
  });
});

describe('config/parse: refused inputs', () => {
  it('E_MALFORMED with line:column for invalid JSON', () => {
    const text = '{\n  "version": 3000000,\n  "cluster": {,\n}';
    expectRefused(() => parseConfig(text, 'bad.json'), 'E_MALFORMED', /^bad\.json: 3:15 \(byte offset 38\): not valid JSON/);
  });

  it('E_MALFORMED for a truncated document, at its end', () => {
    const text = JSON.stringify(small()).slice(0, 100);
    expectRefused(() => parseConfig(text, 'cut'), 'E_MALFORMED', /1:101 .*end of input/);
  });

  it('E_MALFORMED for empty and whitespace-only input', () => {
    expectRefused(() => parseConfig('', 'e'), 'E_MALFORMED', /empty/);
    expectRefused(() => parseConfig(' \n\t', 'e'), 'E_MALFORMED', /empty/);
  });

  it('E_MALFORMED when the document is not an object', () => {
    expectRefused(() => parseConfig('[1,2]', 'l'), 'E_MALFORMED', /must be a JSON object, found a list/);
    expectRefused(() => parseConfig('"x"', 's'), 'E_MALFORMED', /must be a JSON object/);
  });

  it('E_MALFORMED for a missing top-level key', () => {
    const c = small();
    delete c.disks;
    expectRefused(() => parseConfig(JSON.stringify(c), 'm'), 'E_MALFORMED', /missing top-level key\(s\): disks/);
  });

  it('E_MALFORMED for wrong container types', () => {
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), nodes: [] }), 'n'), 'E_MALFORMED', /"nodes" must be an object keyed by uuid, found a list/);
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), cluster: 'x' }), 'c'), 'E_MALFORMED', /"cluster" must be an object/);
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), instances: { a: 1 } }), 'i'), 'E_MALFORMED', /"instances"\["a"\] must be an object/);
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), serial_no: '7' }), 's'), 'E_MALFORMED', /serial_no/);
  });

  it('E_MALFORMED when version is missing or not an integer', () => {
    const c = small();
    delete c.version;
    expectRefused(() => parseConfig(JSON.stringify(c), 'v'), 'E_MALFORMED', /"version" is missing/);
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), version: '3000000' }), 'v'), 'E_MALFORMED', /must be an integer/);
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), version: 3000000.5 }), 'v'), 'E_MALFORMED', /must be an integer/);
  });

  it('E_MALFORMED for a config without nodes', () => {
    expectRefused(() => parseConfig(JSON.stringify({ ...small(), nodes: {} }), 'z'), 'E_MALFORMED', /no nodes/);
  });

  it('E_MALFORMED for cluster.config_version', () => {
    const c = small();
    (c.cluster as JsonObject).config_version = 3000000;
    expectRefused(() => parseConfig(JSON.stringify(c), 'cv'), 'E_MALFORMED', /config_version/);
  });

  it('E_MALFORMED for duplicate keys, with path and position, also when spelled with escapes', () => {
    const text = '{"version": 3000000,\n "nodes": {"n1": {"name": "a", "na\\u006de": "b"}},\n "version": 3000000}';
    const findings = expectRefused(() => parseConfig(text, 'dup'), 'E_MALFORMED', /2:32: duplicate key "name" in object \$\["nodes"\]\["n1"\]/);
    assert.ok(findings.some((f) => /3:2: duplicate key "version" in object \$/.test(f.message)));
    assert.strictEqual(findings.length, 2);
  });

  it('E_MALFORMED for numbers JSON.parse cannot carry exactly, naming the first and counting all', () => {
    const c = small();
    const inst = Object.keys(c.instances as JsonObject)[0];
    const text = JSON.stringify(c, null, 1)
      .replace('"beparams": {', '"beparams": {\n"x": 1E400, "y": [-12345678901234567890123], "z": 9007199254740992,');
    const findings = expectRefused(() => parseConfig(text, 'num'), 'E_MALFORMED', /the number at \$\["cluster"\]\["beparams"\]\["x"\] is beyond/);
    assert.strictEqual(findings.length, 1);
    assert.match(findings[0].message, /^num: \d+:6: .*\(3 such numbers in the file\)$/);
    assert.doesNotMatch(findings[0].message, /1E400|12345678901234567890123|9007199254740992/, 'the value itself is not shown');
    const one = JSON.stringify(c).replace(`"${inst}":{`, `"${inst}":{"beparams_extra":[0,1,1E400],`);
    const [only] = expectRefused(() => parseConfig(one, 'one'), 'E_MALFORMED', /is beyond/);
    assert.ok(only.message.includes(`the number at $["instances"][${JSON.stringify(inst)}]["beparams_extra"][2] is beyond`), only.message);
    assert.doesNotMatch(only.message, /such numbers/);
  });

  it('accepts the largest exact integers and numbers that only lose what Ganeti loses too', () => {
    const c = small();
    const text = JSON.stringify(c).replace('"beparams":{', '"beparams":{"a":9007199254740991,"b":-9007199254740991,"c":1.0,"d":1e-400,"e":0.1000000000000000000001,');
    const beparams = (parseConfig(text, 'ok').cluster as JsonObject).beparams as JsonObject;
    assert.deepStrictEqual([beparams.a, beparams.b, beparams.c, beparams.d, beparams.e], [9007199254740991, -9007199254740991, 1, 0, 0.1]);
  });

  it('E_MALFORMED for a "__proto__" key at any place, also spelled with escapes, naming its object', () => {
    const c = small();
    const inst = Object.keys(c.instances as JsonObject)[0];
    const text = JSON.stringify(c)
      .replace(`"${inst}":{`, `"${inst}":{"hvparams_x":{"\\u005f_proto__":{"a":1}},`)
      .replace('"nodegroups":{', '"nodegroups":{"__proto__":{"name":"x"},');
    const findings = expectRefused(() => parseConfig(text, 'proto'), 'E_MALFORMED', /cannot be kept/);
    assert.strictEqual(findings.length, 1);
    // The first in document order: the generator writes instances before nodegroups.
    assert.ok(JSON.stringify(c).indexOf('"instances"') < JSON.stringify(c).indexOf('"nodegroups"'));
    assert.ok(findings[0].message.includes(`key "__proto__" in object $["instances"][${JSON.stringify(inst)}]["hvparams_x"] cannot be kept`), findings[0].message);
    assert.match(findings[0].message, /^proto: 1:\d+: .*\(2 such keys in the file\)$/);
    const alone = JSON.stringify(c).replace('"nodegroups":{', '"nodegroups":{"__proto__":null,');
    const [only] = expectRefused(() => parseConfig(alone, 'p'), 'E_MALFORMED', /__proto__/);
    assert.match(only.message, /^p: 1:\d+: key "__proto__" in object \$\["nodegroups"\] cannot be kept[^(]*$/);
  });

  it('keys that only share a name with an inherited property (constructor, toString) are ordinary keys', () => {
    const c = small();
    (c.cluster as JsonObject).hvparams_x = { constructor: 1, toString: { hasOwnProperty: 'v' }, valueOf: null };
    assert.deepStrictEqual(parseConfig(JSON.stringify(c), 'names'), c);
  });

  it('duplicate keys in different objects are fine', () => {
    const c = small();
    assert.doesNotThrow(() => parseConfig(JSON.stringify(c), 'ok'));
  });

  it('E_MALFORMED for a byte-order mark', () => {
    expectRefused(() => parseConfig('\ufeff' + JSON.stringify(small()), 'bom'), 'E_MALFORMED', /byte-order mark/);
  });

  it('E_MALFORMED for bytes that are not UTF-8', () => {
    const buf = Buffer.concat([Buffer.from('{"version": 3000000, "x": "'), Buffer.from([0xe9, 0x22, 0x7d])]);
    expectRefused(() => parseConfigBuffer(buf, 'latin1'), 'E_MALFORMED', /not valid UTF-8 \(first invalid byte at offset 27\)/);
  });

  it('E_INPUT_TOO_LARGE above maxBytes (text and file, file checked before reading)', () => {
    const text = JSON.stringify(small());
    expectRefused(() => parseConfig(text, 't', { maxBytes: 1000 }), 'E_INPUT_TOO_LARGE', /larger than the limit of 1000 bytes/);
    // Multi-byte characters count as bytes, not characters.
    const wide = JSON.stringify({ ...small(), x: 'é'.repeat(600) });
    expectRefused(() => parseConfig(wide, 'w', { maxBytes: wide.length + 100 }), 'E_INPUT_TOO_LARGE', /limit/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parse-'));
    try {
      const file = path.join(dir, 'config.data');
      fs.writeFileSync(file, text);
      expectRefused(() => parseConfigFile(file, { maxBytes: 1000 }), 'E_INPUT_TOO_LARGE', new RegExp(`^${file}: file is ${text.length} bytes`));
      assert.strictEqual(Object.keys(parseConfigFile(file).nodes).length, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('E_VERSION_UNSUPPORTED for older and newer versions, advising cfgupgrade', () => {
    for (const version of [2070000, 2150000, 3020000]) {
      expectRefused(() => parseConfig(JSON.stringify({ ...small(), version }), 'old.json'), 'E_VERSION_UNSUPPORTED', /^old\.json: config version \d\.\d+ \(\d+\) is not supported.*cfgupgrade/);
    }
  });

  it('names the file in messages of parseConfigFile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parse-'));
    try {
      const file = path.join(dir, 'broken.data');
      fs.writeFileSync(file, '{"version": 3000000');
      expectRefused(() => parseConfigFile(file), 'E_MALFORMED', new RegExp(`^${file}: 1:20`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
