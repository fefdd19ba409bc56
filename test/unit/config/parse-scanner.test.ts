/** The JSON scanner must agree with JSON.parse on validity, and find every duplicate key. */
import * as assert from 'assert';
import { positionOf, scanJson } from '../../../src/core/config/json/scan';

const VALID = [
  '{}', '[]', '0', '-0', '1.5e+3', '-12.25E-2', '"a\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9"', 'true', 'false', 'null',
  ' {"a": [1, {"b": null}], "c": {"d": []}} ', '[[[[]]]]', '{"a":{"a":{"a":1}}}', '"\u00e9\u{1F600}"',
];

const INVALID = [
  '', '{', '}', '[1,]', '{"a":1,}', '{"a" 1}', '{a:1}', "{'a':1}", '01', '1.', '.5', '-', '1e', '+1', 'tru', 'nul',
  'NaN', 'Infinity', '"abc', '"\\x"', '"\\u12G4"', '"a\nb"', '[1 2]', '{"a":1 "b":2}', '{} {}', '[1]]', '"\t"', '{"a":}',
];

describe('config/json-scan', () => {
  for (const text of VALID) {
    it(`accepts ${JSON.stringify(text)} like JSON.parse`, () => {
      assert.doesNotThrow(() => JSON.parse(text));
      assert.strictEqual(scanJson(text).error, undefined);
    });
  }
  for (const text of INVALID) {
    it(`rejects ${JSON.stringify(text)} like JSON.parse`, () => {
      assert.throws(() => JSON.parse(text));
      const { error } = scanJson(text);
      assert.ok(error, 'expected a syntax error');
      assert.ok(error.offset >= 0 && error.offset <= text.length);
    });
  }

  it('reports the exact position of the first error', () => {
    const { error } = scanJson('{\n  "a": 1,\n  "b": tru\n}');
    assert.deepStrictEqual(error && [error.line, error.column], [3, 8]);
  });

  it('lists every duplicate key with the path of its object', () => {
    const { duplicates } = scanJson('{"a":1,"b":[{"x":1,"x":2},{"x":3}],"a":2,"c":{"d":{"e":1,"e":2,"e":3}}}');
    assert.deepStrictEqual(
      duplicates.map((d) => [d.path, d.key]),
      [['$["b"][0]', 'x'], ['$', 'a'], ['$["c"]["d"]', 'e'], ['$["c"]["d"]', 'e']],
    );
  });

  it('names the first number beyond the exact range in document order, only when asked', () => {
    const text = '{"b":[1,9007199254740991,{"c":-1e400}],"a":12345678901234567890123}';
    assert.strictEqual(scanJson(text).inexactNumber, undefined);
    const found = scanJson(text, { findInexactNumber: true }).inexactNumber;
    assert.deepStrictEqual(found && [found.path, found.line, found.column], ['$["b"][2]["c"]', 1, 31]);
    assert.strictEqual(scanJson('[0,{"x":[1e15,2]}]', { findInexactNumber: true }).inexactNumber, undefined);
  });

  it('computes 1-based line and column', () => {
    assert.deepStrictEqual(positionOf('ab\ncd\nef', 7), { offset: 7, line: 3, column: 2 });
    assert.deepStrictEqual(positionOf('abc', 0), { offset: 0, line: 1, column: 1 });
  });
});
