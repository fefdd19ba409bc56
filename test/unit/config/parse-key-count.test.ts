/**
 * The fast duplicate-key test of parseConfig: declared keys (':' outside strings) against own
 * keys of the parsed tree. It must never miss a duplicate and never flag a clean document.
 */
import * as assert from 'assert';
import { countDeclaredKeys, measureParsed } from '../../../src/core/config/json/key-count';
import { parseConfig } from '../../../src/core/config/parse';
import { type Json, type JsonObject } from '../../../src/core/config/types';
import { generateCluster } from './generator';
import { refusal } from './refusal';

const CLEAN = [
  '{}', '[]', '1', '"a:b"', '{"a":1}', '{"a:b":"c:d","e":[{"f:":":"}]}',
  '{"q\\"":1,"q\\":\\"":2}', '{"back\\\\":"slash\\\\","x":"\\\\\\":"}', '{"__proto__":1,"constructor":{"__proto__":2}}',
  '{ "a" : { "b" : [ { "c" : 1 } , { "c" : 2 } ] } }', '{"\\u003a":":","u":"\\u0022:"}',
];

const WITH_DUPLICATES = [
  '{"a":1,"a":2}',
  '{"a":{"b":{"c":{"d":{"e":1,"e":2}}}}}',
  '{"list":[{"x":1},{"x":1,"y":2,"x":3}]}',
  '{"k:":1,"k:":2}',
  '{"q\\"":1,"q\\u0022":2}',
  '{"__proto__":1,"__proto__":2}',
  '[[{"a":[{"b":1,"b":1}]}]]',
];


/** A deterministic pseudo-random JSON tree with awkward keys and strings (no duplicates). */
function randomTree(seed: number, depth: number): Json {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % 1000;
  const awkward = ['a', ':', '"', '\\', '\\"', 'x:"y"', '{', '}', ',', '\u00e9', ''];
  const text = () => awkward[next() % awkward.length] + String(next());
  const build = (d: number): Json => {
    const kind = d === 0 ? 3 : next() % 4;
    if (kind === 0) return Array.from({ length: next() % 4 }, () => build(d - 1));
    if (kind === 1 || kind === 2) {
      const o: JsonObject = {};
      for (let i = next() % 5; i > 0; i--) o[text()] = build(d - 1);
      return o;
    }
    return next() % 2 === 0 ? text() : next();
  };
  return build(depth);
}

describe('config/json-key-count', () => {
  for (const text of CLEAN) {
    it(`counts equal keys for ${text}`, () => {
      assert.strictEqual(countDeclaredKeys(text), measureParsed(JSON.parse(text) as Json).ownKeys);
    });
  }
  for (const text of WITH_DUPLICATES) {
    it(`sees the duplicate in ${text}`, () => {
      assert.ok(countDeclaredKeys(text) > measureParsed(JSON.parse(text) as Json).ownKeys);
    });
  }

  it('counts equal keys for random trees with quotes, colons and backslashes in keys and values', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const tree = randomTree(seed, 5);
      for (const text of [JSON.stringify(tree), JSON.stringify(tree, null, 2)]) {
        assert.strictEqual(countDeclaredKeys(text), measureParsed(JSON.parse(text) as Json).ownKeys, `seed ${seed}: ${text}`);
      }
    }
  });

  it('counts the numbers JSON.parse could not carry exactly, in objects and lists, at any depth', () => {
    const shape = (text: string) => measureParsed(JSON.parse(text) as Json);
    assert.deepStrictEqual(shape('{"a":1E400,"b":[-1e400,12345678901234567890123],"c":{"d":[{"e":-9007199254740992}]}}'),
      { ownKeys: 5, inexactNumbers: 4, protoKeys: 0 });
    assert.deepStrictEqual(shape('{"a":9007199254740991,"b":[-9007199254740991,1.5,"1e400"],"c":0.1}'), { ownKeys: 3, inexactNumbers: 0, protoKeys: 0 });
  });

  it('counts objects with an own "__proto__" key (JSON.parse keeps it as a plain key), however spelled', () => {
    assert.deepStrictEqual(measureParsed(JSON.parse('{"__proto__":1,"a":[{"\\u005f_proto__":{}}],"p":"__proto__","constructor":{}}') as Json),
      { ownKeys: 5, inexactNumbers: 0, protoKeys: 2 });
  });

  it('parseConfig names a duplicate nested deep in a big config, with line:column and path', () => {
    const c = generateCluster({ name: 'dup', nodes: 20, instancesPerNode: 5 }) as JsonObject;
    const instances = c.instances as JsonObject;
    const uuid = Object.keys(instances)[57];
    // Pretty-printed so the duplicate lands on a known line: the first NIC's "mac" is repeated.
    const text = JSON.stringify(c, null, 1).split('\n');
    const at = text.findIndex((l) => l.includes(`"${uuid}": {`));
    const linkLine = text.findIndex((l, i) => i > at && l.trim().startsWith('"mac"'));
    text.splice(linkLine + 1, 0, text[linkLine].replace(/,?$/, ','));
    const findings = refusal(() => parseConfig(text.join('\n'), 'dup'));
    assert.strictEqual(findings.length, 1);
    const column = text[linkLine].indexOf('"') + 1;
    assert.strictEqual(findings[0].code, 'E_MALFORMED');
    assert.ok(findings[0].message.startsWith(`dup: ${linkLine + 2}:${column}: duplicate key "mac" in object $["instances"]["${uuid}"]["nics"][0]`),
      findings[0].message);
  });

  it('parseConfig accepts keys and values that contain colons and escaped quotes', () => {
    const c = generateCluster({ name: 'colons', nodes: 2, instancesPerNode: 1 }) as JsonObject;
    const inst = Object.values(c.instances as JsonObject)[0] as JsonObject;
    inst.hvparams = { 'a:b': 'c:"d"', 'e\\"': ':', '\\': '\\' };
    assert.deepStrictEqual(parseConfig(JSON.stringify(c), 'colons'), c);
  });
});
