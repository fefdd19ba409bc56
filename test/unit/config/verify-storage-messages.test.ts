/** I-30/U11 findings name the storage and both disks, one finding per later claim. */
import * as assert from 'assert';
import { verifyConfig } from '../../../src/core/config/verify';
import { disksOf, sampleCluster } from './verify-helpers';

describe('config/verify I-30/U11 messages', () => {
  it('names the shared LV, the shared path and both holders', () => {
    const c = sampleCluster();
    const [a, b, d] = disksOf(c, 'plain');
    b.logical_id = [...a.logical_id];
    b.nodes = [...(a.nodes as string[])];
    for (const x of [a, d]) {
      x.dev_type = 'sharedfile';
      x.logical_id = ['loop', '/srv/same.img'];
    }
    b.dev_type = 'plain';
    const messages = verifyConfig(c).filter((f) => /^(I-30|U11):/.test(f.message)).map((f) => f.message);
    const name = (x: typeof a) => `disk ${String(x.name ?? x.iv_name)} (${x.uuid})`;
    assert.deepStrictEqual(messages, [`I-30: sharedfile path /srv/same.img used by ${name(a)} and ${name(d)}`]);
    // The LV case: b keeps a's LV while a is still plain.
    const c2 = sampleCluster();
    const [a2, b2] = disksOf(c2, 'plain');
    b2.logical_id = [...a2.logical_id];
    b2.nodes = [...(a2.nodes as string[])];
    const lid = a2.logical_id as string[];
    const lvMessages = verifyConfig(c2).filter((f) => /^(I-30|U11):/.test(f.message)).map((f) => f.message);
    assert.deepStrictEqual(lvMessages, (a2.nodes as string[]).map((n) => `U11: LV ${lid[0]}/${lid[1]} on node ${n} used by ${name(a2)} and ${name(b2)}`));
  });
});
