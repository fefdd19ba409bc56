import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES, type PhaseId } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner, type ScriptedHandler } from '../../../src/core/remote/scripted-runner';
import { generateCluster } from '../config/generator';
import { ALPHA_BETA_FACTS } from './scripted-facts';
import { expectEnd, expectOutcome } from '../../expect-outcome';

const KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 root@a1';

const FACTS = ALPHA_BETA_FACTS;

describe('merge phases against a scripted cluster', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-phases-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An engine whose phases before `upTo` are marked done, with preflight facts in place. */
  function engineAt(upTo: PhaseId, handler: ScriptedHandler, confirm = true, extra: Partial<typeof DEFAULT_PLAN_OPTIONS> = {}) {
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, ...extra, target: 'alpha', mergees: ['beta'] }, 'merge-unit-1');
    journal.doc.facts = FACTS;
    for (const p of PHASES) {
      if (p.id === upTo) break;
      journal.setState(p.id, 'done');
    }
    const runner = new ScriptedRunner(handler);
    const prompter = new ScriptedPrompter({ confirm });
    const engine = new MergeEngine({ journal, runner, prompter, phases: standardPhases(), fullRollback });
    return { engine, runner, prompter, journal };
  }

  it('authorize: records whether the key was there before adding it; undo removes only what it added', async () => {
    const { engine, runner } = engineAt('authorize-target-master', (host, argv) => {
      if (host === 'a1' && argv[0] === 'cat' && argv[2] === '/root/.ssh/id_rsa.pub') return { stdout: `${KEY}\n` };
      if (argv[0] === 'cat' && argv[2] === '/root/.ssh/authorized_keys') return { stdout: host === 'b1' ? `${KEY}\n` : 'ssh-ed25519 AAAAC3 other\n' };
      if (argv[0] === 'sh' && argv[3] === 'ganeti-merge-authkey') return { stdout: host === 'b1' ? 'present\n' : (argv[2].includes('grep -vxF') ? 'removed\n' : 'added\n') };
      return undefined;
    });
    await expectOutcome(engine.runPhase('authorize-target-master'));
    const records = engine.journal.records('authorize-target-master');
    assert.deepEqual(records.map((r) => [r.host, r.data.preexisting, r.data.added, r.done]), [['b1', true, false, true], ['b2', false, true, true]]);
    runner.calls.length = 0;
    assert.equal((await engine.rollback()).outcome, 'rolled-back');
    const removals = runner.calls.filter((c) => c.argv[0] === 'sh' && c.argv[2].includes('grep -vxF'));
    assert.deepEqual(removals.map((c) => [c.host, c.argv[5]]), [['b2', KEY]]);
  });

  it('readd-nodes: the target master\'s host keys are trusted for the re-added nodes; no key printed is a failure before any re-add', async () => {
    const trust = path.join(dir, 'merge.json.files', 'known_hosts.readded-nodes');
    const handler = (keys: string): ScriptedHandler => (_host, argv) => {
      if (argv[0] === 'sh' && argv[2] === 'cat /etc/ssh/ssh_host_*_key.pub') return { stdout: keys };
      if (argv[0] === 'gnt-node' && argv[1] === 'add') return { stdout: '' };
      return undefined;
    };
    for (const keys of ['', '# no keys here\n', 'cat: /etc/ssh/ssh_host_*_key.pub: No such file or directory\n']) {
      const { engine, runner } = engineAt('readd-nodes', handler(keys));
      const outcome = await engine.runPhase('readd-nodes');
      assert.equal(outcome.outcome, 'failed', JSON.stringify(keys));
      assert.match(outcome.error ?? '', /a1: cannot understand the output of sh -c .*no "type base64" public host key line/);
      assert.ok(!runner.calls.some((c) => c.argv[0] === 'gnt-node'), 'no node re-added');
      assert.equal(fs.existsSync(trust), false, 'no empty trust file');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
    }
    const { engine, runner } = engineAt('readd-nodes', handler('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA root@a1\n'));
    await expectOutcome(engine.runPhase('readd-nodes'));
    assert.deepEqual(runner.calls.filter((c) => c.argv[0] === 'gnt-node').map((c) => c.argv.at(-1)), ['b1', 'b2']);
    assert.equal(fs.readFileSync(trust, 'utf8'), 'b1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\nb2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n');
  });

  it('full rollback: every node\'s sshd is restarted after its ssh identity is restored (OpenSSH 10 keeps old keys)', async () => {
    const SHA = 'a'.repeat(64);
    const { engine, runner } = engineAt('restart-master', (_host, argv) => {
      if (argv[0] === 'sh' && argv[3] === 'ganeti-merge-sha') return { stdout: `${SHA}\n` };
      if (argv[0] === 'sh' && ['ganeti-merge-restore', 'ganeti-merge-ssh-restore'].includes(argv[3])) return { stdout: 'restored\n' };
      if (argv[0].endsWith('daemon-util') || argv[0] === 'gnt-instance' || argv[0] === 'gnt-cluster') return { stdout: '' };
      return undefined;
    });
    const nodes = [FACTS.target, ...FACTS.mergees].flatMap((c) => c.nodes.map((n) => n.name));
    for (const n of nodes) engine.journal.addRecord('snapshot', 'snapshot', n, { sha256: SHA }).done = true;
    assert.equal((await engine.rollback()).outcome, 'rolled-back');
    for (const n of nodes) {
      const mine = runner.calls.filter((c) => c.host === n).map((c) => (c.argv[0] === 'sh' ? c.argv[3] : c.argv.slice(-1)[0]));
      const restored = mine.indexOf('ganeti-merge-ssh-restore');
      assert.ok(restored >= 0, `${n}: ssh identity restored`);
      assert.equal(mine[restored + 1], 'reload-ssh-keys', `${n}: then sshd reloaded (${mine.join(', ')})`);
      assert.ok(mine.indexOf('start-all') > restored, `${n}: before Ganeti starts again`);
    }
  });

  describe('write-config', () => {
    const alpha = generateCluster({ name: 'alpha', nodes: 1 });
    alpha.cluster.osparams_private_cluster = { noop: { token: 'TopSecretTarget' } };
    const beta = generateCluster({ name: 'beta', nodes: 2 });
    const handler = (written: Buffer[]): ScriptedHandler => (host, argv, stdin) => {
      if (host === 'a1' && argv[0] === 'cat' && argv[2] === '/var/lib/ganeti/config.data') return { stdout: JSON.stringify(alpha) };
      if (host === 'a1' && argv[0] === 'sh' && argv[3] === 'ganeti-merge-write') {
        assert.deepEqual(argv.slice(4), ['/var/lib/ganeti/config.data', '0640', '']);
        written.push(Buffer.from(stdin!));
        return { stdout: 'written\n' };
      }
      return undefined;
    };

    it('asks for approval with the summary; a "no" writes nothing and records nothing', async () => {
      const written: Buffer[] = [];
      const { engine, prompter } = engineAt('write-config', handler(written), false, { groups: 'rename', stopInstances: 'none' });
      engine.files.write('beta.example.com.config.data', JSON.stringify(beta));
      await expectEnd(engine.runPhase('write-config'), 'cancelled', /^write-config: .*did not approve/);
      assert.equal(prompter.confirmations.length, 1);
      assert.equal(prompter.confirmations[0].summary, FACTS.mergeSummary);
      assert.deepEqual(written, []);
      assert.deepEqual(engine.journal.records('write-config'), []);
      assert.equal(engine.journal.phase('write-config').state, 'failed');
    });

    it('writes the merged config after approval; secrets stay out of the journal; undo writes the backup back', async () => {
      const written: Buffer[] = [];
      const { engine } = engineAt('write-config', handler(written), true, { groups: 'rename', stopInstances: 'none' });
      engine.files.write('beta.example.com.config.data', JSON.stringify(beta));
      await expectOutcome(engine.runPhase('write-config'));
      assert.equal(written.length, 1);
      const merged = JSON.parse(written[0].toString('utf8'));
      assert.equal(Object.keys(merged.nodes).length, 3);
      const journalText = fs.readFileSync(engine.journal.file, 'utf8');
      assert.doesNotMatch(journalText, /TopSecretTarget/);
      assert.match(written[0].toString('utf8'), /TopSecretTarget/);
      assert.equal(fs.statSync(engine.files.dir).mode & 0o777, 0o700);
      await engine.rollback();
      assert.equal(written.length, 2);
      assert.deepEqual(JSON.parse(written[1].toString('utf8')), alpha);
    });
  });
});
