/** The Clusters view's text: a name from a cluster never reorders (bidi) or breaks what the operator reads. */
import * as assert from 'node:assert/strict';
import { escapeTreeItemText } from '../../../src/ui/tree-item-text';

describe('Clusters view item text (tree-item-text.ts)', () => {
  it('escapes a hostile group name in label, description and tooltip; the tooltip keeps its own lines', () => {
    const name = 'prod\u202egpj.exe\u001b[2J\nfake';
    const item = escapeTreeItemText({ label: name, description: `3 nodes · ${name}`, tooltip: `${name} (uuid-1)\n10.0.0.0/24` });
    assert.equal(item.label, 'prod\\u202egpj.exe\\u001b[2J\\u000afake');
    assert.equal(item.description, '3 nodes · prod\\u202egpj.exe\\u001b[2J\\u000afake');
    assert.equal(item.tooltip, 'prod\\u202egpj.exe\\u001b[2J\nfake (uuid-1)\n10.0.0.0/24');
  });

  it('leaves plain text and the extension\'s own non-string forms as they are', () => {
    const own = { value: 'markdown of the extension' };
    const item = escapeTreeItemText({ label: { label: 'x', highlights: [] }, description: true, tooltip: own });
    assert.deepEqual(item, { label: { label: 'x', highlights: [] }, description: true, tooltip: own });
    assert.deepEqual(escapeTreeItemText({ label: 'node1.example.com', description: 'master', tooltip: 'a\nb' }), { label: 'node1.example.com', description: 'master', tooltip: 'a\nb' });
  });
});
