/**
 * The one session factory against a real sshd: the per-command timeout (the editor's
 * ganetiMerge.commandTimeoutSeconds, the CLI's --command-timeout) bounds every command the merge
 * engine runs, so a hung Ganeti command ends in a timeout naming the host and the command.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { planCommand } from '../../src/cli/merge-commands';
import { Journal } from '../../src/core/merger/journal';
import { runLockPath } from '../../src/core/remote/run-lock';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { openMergeSession } from '../../src/core/session/merge-session';
import { generateKey, isRoot, startSshd, type TestSshd } from './helpers/sshd';
import { expectEnd } from '../expect-outcome';

describe('merge session: one per-command timeout for every command of the engine (real sshd)', function () {
  let work: string;
  let sshd: TestSshd;
  let sshConfig: string;
  let knownHosts: string;
  let identity: string;

  before(async function () {
    if (!isRoot()) {
      console.warn('\n  !!! SKIPPING merge session integration tests: they start sshd and must run as root (CI runs them as root) !!!\n');
      this.skip();
    }
    work = mkdtempSync(path.join(tmpdir(), 'merge-session-'));
    // A gnt-cluster that never answers, first on the sessions' PATH.
    const bin = path.join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'gnt-cluster'), '#!/bin/sh\nexec sleep 1000\n');
    chmodSync(path.join(work, 'bin', 'gnt-cluster'), 0o755);
    const key = generateKey(work, 'id_client');
    identity = key.privatePath;
    sshd = await startSshd({ authorizedKeys: [key.publicLine], env: { PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin` } });
    sshConfig = path.join(work, 'config');
    writeFileSync(sshConfig, ['target', 'mergee'].map((a) => `Host ${a}\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User root\n`).join(''));
    knownHosts = path.join(work, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine.split(' ').slice(0, 2).join(' ')}\n`);
  });

  after(async () => {
    await sshd?.stop();
    // this sshd is the host's own: the sessions' commands took their run locks in the host's /run/lock
    if (!work) return;
    for (const journal of ['core.json', 'cli.json'].map((f) => path.join(work, f)).filter(existsSync)) {
      rmSync(runLockPath(Journal.load(journal).id), { force: true });
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('openMergeSession: preflight\'s hung command ends in a timeout error naming host and command', async () => {
    const session = openMergeSession({
      journalFile: path.join(work, 'core.json'), plan: { target: 'target', mergees: ['mergee'] },
      prompter: new ScriptedPrompter({ hostKey: false }), sshConfigPath: sshConfig, knownHostsPath: knownHosts,
      identityFile: identity, agentSocket: null, homeDir: work, commandTimeoutSeconds: 1,
    });
    try {
      const t0 = Date.now();
      // the timeout's own text (RemoteError kind 'timeout'), behind the phase that failed on it
      await expectEnd(session.engine.runPhase('preflight'), 'failed', /^preflight: (target|mergee): command timed out after 1000 ms: gnt-cluster --version$/);
      assert.ok(Date.now() - t0 < 15_000, 'the command was not bounded by the session timeout');
      assert.equal(session.engine.status('preflight').state, 'failed');
    } finally {
      await session.close();
    }
  });

  it('ganeti-merge plan --command-timeout 1: the same bound from the command line', async () => {
    let stderr = '';
    const code = await planCommand.run(['--target', 'target', '--mergee', 'mergee', '--journal', path.join(work, 'cli.json'),
      '--ssh-config', sshConfig, '--known-hosts', knownHosts, '--identity', identity, '--command-timeout', '1'],
    { stdout: () => undefined, stderr: (t) => (stderr += t) });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /failed in phase preflight: (target|mergee): command timed out after 1000 ms: gnt-cluster --version\n/);
  });
});
