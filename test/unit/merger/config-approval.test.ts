import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFromEdit } from '../../../src/core/config/edited-config';
import { canonicalPrint } from '../../../src/core/config/print';
import type { GanetiConfig } from '../../../src/core/config/types';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import type { ConfigApprover } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS, PHASES } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { generateCluster } from '../config/generator';
import { ALPHA_BETA_FACTS } from './scripted-facts';
import { expectEnd, expectOutcome } from '../../expect-outcome';

const FACTS = ALPHA_BETA_FACTS;

/** Phase write-config with an approver in place of prompter.confirm (the editor's diff review). */
describe('write-config with a config approver (the editor\'s diff review)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-approve-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const alpha = generateCluster({ name: 'alpha', nodes: 1 });
  const beta = generateCluster({ name: 'beta', nodes: 2 });

  function engineWith(approveConfig: ConfigApprover) {
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, groups: 'rename', stopInstances: 'none', target: 'alpha', mergees: ['beta'] }, 'approve-1');
    journal.doc.facts = FACTS;
    for (const p of PHASES) {
      if (p.id === 'write-config') break;
      journal.setState(p.id, 'done');
    }
    const written: string[] = [];
    const runner = new ScriptedRunner((host, argv, stdin) => {
      if (host === 'a1' && argv[0] === 'cat' && argv[2] === '/var/lib/ganeti/config.data') return { stdout: JSON.stringify(alpha) };
      if (host === 'a1' && argv[0] === 'sh' && argv[3] === 'ganeti-merge-write') {
        written.push(Buffer.from(stdin!).toString('utf8'));
        return { stdout: 'written\n' };
      }
      return undefined;
    });
    const prompter = new ScriptedPrompter({ confirm: true });
    const engine = new MergeEngine({ journal, runner, prompter, phases: standardPhases(), fullRollback, approveConfig });
    engine.files.write('beta.example.com.config.data', JSON.stringify(beta));
    return { engine, written, prompter };
  }

  it('writes the operator\'s valid edit, not the computed merge; prompter.confirm is not used', async () => {
    let seen: { current: GanetiConfig; merged: GanetiConfig } | undefined;
    const { engine, written, prompter } = engineWith(async (req) => {
      seen = req;
      const doc = JSON.parse(canonicalPrint(req.merged, { maskSecrets: true }));
      doc.cluster.candidate_pool_size = 9;
      return configFromEdit(JSON.stringify(doc), req.merged);
    });
    await expectOutcome(engine.runPhase('write-config'));
    assert.equal(seen?.current.cluster.cluster_name, alpha.cluster.cluster_name);
    assert.equal(Object.keys(seen!.merged.nodes).length, 3);
    assert.equal(written.length, 1);
    assert.equal(JSON.parse(written[0]).cluster.candidate_pool_size, 9);
    assert.equal(prompter.confirmations.length, 0);
  });

  it('a refusal (undefined) writes nothing and records nothing', async () => {
    const { engine, written } = engineWith(async () => undefined);
    await expectEnd(engine.runPhase('write-config'), 'cancelled', /^write-config: .*did not approve/);
    assert.deepEqual(written, []);
    assert.deepEqual(engine.journal.records('write-config'), []);
  });

  it('an approver returning a config that breaks an invariant is refused before anything is written', async () => {
    const { engine, written } = engineWith(async (req) => {
      const bad = JSON.parse(JSON.stringify(req.merged)) as GanetiConfig;
      const [a, b] = Object.keys(bad.instances);
      if (a && b) bad.instances[b].name = bad.instances[a].name;
      else bad.cluster.master_node = 'no-such-node-uuid';
      return bad;
    });
    await expectEnd(engine.runPhase('write-config'), 'failed', /^write-config: .*edited merged config breaks \d+ invariant/);
    assert.deepEqual(written, []);
    assert.deepEqual(engine.journal.records('write-config'), []);
  });
});
