import * as assert from 'assert';
import { configFromEdit, EditedConfigError } from '../../../src/core/config/edited-config';
import { canonicalPrint, SECRET_MASK } from '../../../src/core/config/print';
import type { GanetiConfig } from '../../../src/core/config/types';
import { verifyConfig } from '../../../src/core/config/verify';
import { generateCluster } from './generator';

const PRIVATE = 'edited-config-private-value';

function withSecrets(): GanetiConfig {
  const c = generateCluster({ name: 'edit', nodes: 3, instancesPerNode: 2, drbdFraction: 0.5 });
  Object.values(c.instances)[0].osparams_private = { password: PRIVATE };
  return c;
}

function refused(fn: () => unknown, pattern: RegExp): EditedConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EditedConfigError, `expected EditedConfigError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail('the edit was accepted');
}

describe('config/edited-config: configFromEdit', () => {
  it('an unchanged masked print comes back equal to the merged config, secrets restored', () => {
    const merged = withSecrets();
    const text = canonicalPrint(merged, { maskSecrets: true });
    assert.ok(text.includes(SECRET_MASK) && !text.includes(PRIVATE));
    const back = configFromEdit(text, merged);
    assert.deepStrictEqual(back, JSON.parse(JSON.stringify(merged)));
    assert.deepStrictEqual(verifyConfig(back).filter((f) => f.severity === 'error'), []);
  });

  it('keeps a valid edit (a changed description) and restores the DRBD secrets around it', () => {
    const merged = withSecrets();
    const doc = JSON.parse(canonicalPrint(merged, { maskSecrets: true }));
    doc.cluster.candidate_pool_size = 7;
    const back = configFromEdit(JSON.stringify(doc), merged);
    assert.strictEqual(back.cluster.candidate_pool_size, 7);
    const drbd = Object.entries(back.disks).filter(([, d]) => d.dev_type === 'drbd');
    assert.ok(drbd.length > 0);
    for (const [uuid, d] of drbd) assert.strictEqual(d.logical_id[5], merged.disks[uuid].logical_id[5]);
  });

  it('refuses an edit that breaks an invariant, naming it, with the findings', () => {
    const merged = withSecrets();
    const doc = JSON.parse(canonicalPrint(merged, { maskSecrets: true }));
    const [a, b] = Object.keys(doc.instances);
    doc.instances[b].name = doc.instances[a].name;
    const err = refused(() => configFromEdit(JSON.stringify(doc), merged), /breaks \d+ invariant/);
    assert.ok(err.findings.length > 0);
  });

  it('refuses a mask moved to a place where the merged config has no secret', () => {
    const merged = withSecrets();
    const doc = JSON.parse(canonicalPrint(merged, { maskSecrets: true }));
    doc.cluster.cluster_name = SECRET_MASK;
    refused(() => configFromEdit(JSON.stringify(doc), merged), /cluster\.cluster_name holds "<secret>"/);
  });

  it('refuses text that is not a config: bad JSON and duplicate keys', () => {
    const merged = withSecrets();
    refused(() => configFromEdit('{"version": ', merged), /E_MALFORMED/);
    const text = canonicalPrint(merged, { maskSecrets: true }).replace('{\n', '{\n  "version": 3000000,\n');
    refused(() => configFromEdit(text, merged), /duplicate|E_MALFORMED/i);
  });
});
