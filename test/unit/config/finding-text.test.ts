/**
 * Finding messages quote names, keys and paths as the input spells them, and the editor shows
 * them as they are (problems, tree items): every finding the config code makes (parse, verify,
 * merge) has its control characters escaped where it is made, not only by the CLI's printer.
 */
import * as assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parse';
import { verifyConfig } from '../../../src/core/config/verify';
import { hasControlCharacter } from '../../../src/core/safe-text';
import type { Finding, JsonObject } from '../../../src/core/config/types';
import { cluster, firstInstance, merge } from './merge-helpers';
import { refusal } from './refusal';

const HOSTILE = 'x\u202eexe\u2028\u001b[2K\rE_FAKE: all good';
const ESCAPED = 'x\\u202eexe\\u2028\\u001b[2K\\u000dE_FAKE: all good';

function assertSafe(findings: readonly Finding[], shown = ESCAPED): void {
  assert.ok(findings.length > 0);
  for (const f of findings) assert.ok(!hasControlCharacter(f.message), `raw control character in ${JSON.stringify(f.message)}`);
  assert.ok(findings.some((f) => f.message.includes(shown)), findings.map((f) => f.message).join('\n'));
}

describe('finding messages are free of control characters at the source', () => {
  it('verify: an instance name with a bidi override, a line separator and an escape sequence', () => {
    const c = cluster('alpha');
    firstInstance(c).name = HOSTILE;
    assertSafe(verifyConfig(c));
  });

  it('merge: a cluster default whose key holds them (a parameter difference names the key)', () => {
    const incoming = cluster('beta');
    (incoming.cluster.beparams as JsonObject).default = { ...((incoming.cluster.beparams as JsonObject).default as JsonObject), [HOSTILE]: 1 };
    const result = merge(cluster('alpha'), [incoming], { groups: 'merge', params: 'warn' });
    assertSafe(result.report.warnings.filter((f) => f.code === 'W_PARAM_DIFF' || f.code === 'W_EFFECTIVE_PARAM_CHANGE'));
    assertSafe(merge(cluster('alpha'), [incoming], { groups: 'merge' }).report.errors);
  });

  it('parse: a duplicate key that holds them', () => {
    const text = JSON.stringify(cluster('alpha')).replace('"cluster":{', `"cluster":{${JSON.stringify(HOSTILE)}:1,${JSON.stringify(HOSTILE)}:2,`);
    // The key is quoted as a JSON string (\r, \u001b), the rest escaped like every message.
    assertSafe(refusal(() => parseConfig(text, 'dup.json')), 'duplicate key "x\\u202eexe\\u2028\\u001b[2K\\rE_FAKE: all good"');
  });
});
