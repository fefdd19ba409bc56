/**
 * Merges on Ganeti's own sample config (the 3.0 fixture) when the fixture corpus is present
 * ($GANETI_FIXTURES_DIR or ../shared/fixtures/ganeti beside the checkout); skipped with the reason otherwise.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseConfigFile } from '../../../src/core/config/parse';
import { verifyConfig } from '../../../src/core/config/verify';
import { deriveDistinctCluster } from './derive';
import { assertError, assertOk, FIXTURE, merge, mergeableFixture, NOW } from './merge-helpers';

describe('mergeConfigs on the Ganeti 3.0 sample config', function () {
  before(function () {
    if (!fs.existsSync(FIXTURE)) {
      console.log(`      (skipped: fixture ${FIXTURE} not found; set GANETI_FIXTURES_DIR to Ganeti's test/data)`);
      this.skip();
    }
  });

  it('merging the fixture with itself is E_SELF_MERGE', () => {
    const a = parseConfigFile(FIXTURE);
    const r = merge(a, [parseConfigFile(FIXTURE)], { groups: 'merge', networks: 'merge' });
    assertError(r, 'E_SELF_MERGE', 'with itself');
  });

  it('merges two clusters derived from the fixture into it; the result satisfies every invariant', () => {
    const target = mergeableFixture();
    const b = deriveDistinctCluster(target, { name: 'beta', seed: 2 });
    const c = deriveDistinctCluster(target, { name: 'gamma', seed: 3 });
    for (const x of [b, c]) assert.deepEqual(verifyConfig(x).map((f) => f.message), [], 'derived input is valid');
    const r = merge(target, [b, c], { groups: 'merge', networks: 'merge' });
    const merged = assertOk(r);
    assert.deepEqual(verifyConfig(merged, { inputVersion: 3000000 }).map((f) => f.message), []);
    assert.equal(Object.keys(merged.nodes).length, 9);
    assert.equal(Object.keys(merged.instances).length, 9);
    assert.equal(Object.keys(merged.disks).length, 9);
    assert.equal(Object.keys(merged.nodegroups).length, 2, 'default and another absorbed');
    assert.equal(Object.keys(merged.networks).length, 1, 'the same-named network absorbed');
    // The fixture's pool (32104, 32105, 32101, ...) is reused head first for the two DRBD disks.
    assert.deepEqual(r.report.reallocatedDiskPorts.map((p) => p.to), [32104, 32105]);
    assert.deepEqual(merged.cluster.tcpudp_port_pool, [32101, 32102, 32103]);
    assert.equal(merged.mtime, NOW);
  });
});
