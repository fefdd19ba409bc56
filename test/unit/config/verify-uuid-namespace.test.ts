/** I-28 reports each repeat once, naming both holders, also when the repeat differs in case. */
import * as assert from 'assert';
import { verifyConfig } from '../../../src/core/config/verify';
import type { JsonObject } from '../../../src/core/config/types';
import { disksOf, instancesOf, nodesOf, sampleCluster } from './verify-helpers';

describe('config/verify I-28 messages', () => {
  it('names both holders in claim order, once per later claim', () => {
    const c = sampleCluster();
    const [i0, i1] = instancesOf(c);
    const node = nodesOf(c)[0];
    const nicUuid = node.uuid.toUpperCase();
    (i1.nics[0] as JsonObject).uuid = nicUuid;
    const drbd = disksOf(c, 'drbd')[0];
    const child = (drbd.children as JsonObject[])[1];
    child.uuid = i0.uuid;
    const messages = verifyConfig(c).filter((f) => f.message.startsWith('I-28')).map((f) => f.message);
    assert.deepStrictEqual(messages, [
      `I-28: uuid ${nicUuid} used by node ${node.name} (${node.uuid}) and NIC 0 of instance ${i1.name} ${nicUuid}`,
      `I-28: uuid ${i0.uuid} used by instance ${i0.name} (${i0.uuid}) and disk ${i0.uuid} (child .children[1] of ${drbd.uuid})`,
    ]);
  });

  it('a clean config has no I-28 finding', () => {
    assert.deepStrictEqual(verifyConfig(sampleCluster()).filter((f) => f.message.startsWith('I-28')), []);
  });
});
