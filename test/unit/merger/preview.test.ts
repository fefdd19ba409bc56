import * as assert from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFromEdit } from '../../../src/core/config/edited-config';
import { BOOKKEEPING_MASK, canonicalPrint, SECRET_MASK, serializeGaneti } from '../../../src/core/config/print';
import type { GanetiConfig } from '../../../src/core/config/types';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, type MergePlanOptions } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { generateCluster } from '../config/generator';
import { scriptedClusters } from './scripted-clusters';
import { expectEnd, expectOutcome } from '../../expect-outcome';

describe('merge preview (kept by the engine from preflight)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-preview-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const alpha = generateCluster({ name: 'alpha', nodes: 2, instancesPerNode: 2, seed: 7, drbdFraction: 1 });
  const beta = generateCluster({ name: 'beta', nodes: 2, instancesPerNode: 2, seed: 7, drbdFraction: 1 });

  function engine(options: Partial<MergePlanOptions>) {
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: ['beta'], ...options });
    const runner = new ScriptedRunner(scriptedClusters([alpha, beta]));
    return { runner, engine: new MergeEngine({ journal, runner, prompter: new ScriptedPrompter({}), phases: standardPhases(), fullRollback }) };
  }

  it('refuses in preflight a mergee whose config copy would be the target backup or the merged config (one work file for two)', async () => {
    for (const name of ['target-backup', 'merged']) {
      const mergee = structuredClone(beta);
      mergee.cluster.cluster_name = name;
      fs.rmSync(path.join(dir, 'merge.json'), { force: true });
      const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'alpha', mergees: [name], groups: 'merge' });
      const runner = new ScriptedRunner(scriptedClusters([alpha, mergee]));
      const e = new MergeEngine({ journal, runner, prompter: new ScriptedPrompter({}), phases: standardPhases(), fullRollback });
      const outcome = await e.runPhase('preflight');
      assert.strictEqual(outcome.outcome, 'failed', name);
      assert.match(outcome.error ?? '', new RegExp(`${name}: a mergee cluster of this name is not supported \\(its config copy ${name}\\.config\\.data`), name);
    }
  });

  it('is absent before preflight and holds the configs preflight read and merged after it', async () => {
    const { engine: e, runner } = engine({ groups: 'merge' });
    assert.strictEqual(e.preview(), undefined);
    await expectOutcome(e.runPhase('preflight'));
    const p = e.preview();
    assert.ok(p);
    assert.strictEqual(p.ok, true);
    assert.strictEqual(p.target, 'alpha.example.com');
    assert.deepStrictEqual(p.mergees, ['beta.example.com']);
    assert.deepStrictEqual(p.current, alpha, 'the current side is the target config as read');
    assert.strictEqual(Object.keys(p.merged.nodes).length, 4);
    assert.ok(p.findings.some((f) => f.code === 'W_PARAM_DIFF'), p.findings.map((f) => f.code).join(', '));
    // config.data was read once per cluster: the preview is that read, not a second fetch
    assert.strictEqual(runner.calls.filter((c) => c.argv[0] === 'cat').length, 2);
    const merged = p.text('merged');
    assert.ok(merged.includes(SECRET_MASK));
    assert.ok(merged.includes('"serial_no": '), 'the raw text keeps the bookkeeping fields');
    assert.ok(!/"(serial_no|mtime|ctime)": (?!"<bookkeeping>")/.test(p.text('merged', { hideBookkeeping: true })));
    assert.ok(p.text('current', { hideBookkeeping: true }).includes(`"serial_no": "${BOOKKEEPING_MASK}"`));
  });

  it("prints the merged side with each map's new objects first, sorted, then the target's in the current side's order; the merged config itself untouched", async () => {
    const { engine: e } = engine({ groups: 'merge' });
    await expectOutcome(e.runPhase('preflight'));
    const p = e.preview();
    assert.ok(p);
    const written = serializeGaneti(p.merged);
    for (const objectPerLine of [false, true]) {
      const current = JSON.parse(p.text('current', { objectPerLine })) as GanetiConfig;
      const merged = JSON.parse(p.text('merged', { objectPerLine })) as GanetiConfig;
      assert.deepStrictEqual(merged, JSON.parse(canonicalPrint(p.merged, { maskSecrets: true })), 'the same config, only the order differs');
      for (const map of ['nodes', 'instances', 'disks', 'nodegroups'] as const) {
        const known = Object.keys(current[map]);
        const added = Object.keys(p.merged[map]).filter((k) => !(k in p.current[map])).sort();
        if (map !== 'nodegroups') assert.ok(added.length > 0, `${map}: the merge adds some`); // groups merged by name
        assert.deepStrictEqual(Object.keys(merged[map]), [...added, ...known], map);
      }
    }
    assert.strictEqual(serializeGaneti(p.merged), written, 'printing changed the config to write');
    assert.deepStrictEqual(configFromEdit(p.text('merged'), p.merged), p.merged, 'the shown text saves as the merged config');
  });

  it('keeps a refused merge: no merged config (the target unchanged), its errors as findings', async () => {
    const { engine: e } = engine({ groups: 'refuse' });
    await expectEnd(e.runPhase('preflight'), 'failed', /^preflight: .*cannot be merged/);
    const p = e.preview();
    assert.ok(p);
    assert.strictEqual(p.ok, false);
    assert.strictEqual(p.merged, p.current);
    assert.ok(p.findings.some((f) => f.code === 'E_GROUP_NAME_CONFLICT'), p.findings.map((f) => f.code).join(', '));
  });
});
