import * as assert from 'assert';
import { englishConfirmation } from '../../../src/core/operator/questions';

describe('operator questions (typed, worded by each front end)', () => {
  it('words each confirmation in English with its parameters, the summary as the detail', () => {
    const write = englishConfirmation({ id: 'write-config', master: 'm1.example.com', summary: 'target alpha: 1 node(s)' });
    assert.deepStrictEqual(write, { message: 'Write the merged config.data to m1.example.com?', detail: 'target alpha: 1 node(s)' });
    const ponr = englishConfirmation({ id: 'point-of-no-return', master: 'm1.example.com', summary: 'x' });
    assert.match(ponr.message, /^Start m1\.example\.com on the merged config\? This is Ganeti's point of no return/);
    assert.strictEqual(ponr.detail, 'x');
  });
});
