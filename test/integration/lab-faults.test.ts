/**
 * The remote layer against real lab nodes under faults and trust problems: a link dropped in the
 * middle of a session, a node unreachable from the start, a changed host key, and ProxyJump
 * through one lab node to another. Every fault is cleared again (labReset clears them too).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RemoteError } from '../../src/core/remote/errors';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { SshPool } from '../../src/core/remote/transport';
import { LabInfo, clearFaults, injectFault, labUp, requireLab } from '../lab/lab';

describe('remote layer on the lab: faults, host keys, jump hosts', function () {
  let lab: LabInfo;
  let dir: string;
  const pools: SshPool[] = [];

  const newPool = (over: Partial<ConstructorParameters<typeof SshPool>[0]> = {}) => {
    const pool = new SshPool({
      prompter: new ScriptedPrompter({ hostKey: false }),
      sshConfigPath: lab.sshConfig,
      knownHostsPath: lab.knownHosts,
      agentSocket: null,
      connectTimeoutMs: 5_000,
      keepaliveIntervalMs: 1_000,
      keepaliveCountMax: 3,
      ...over,
    });
    pools.push(pool);
    return pool;
  };

  before(async function () {
    requireLab(this);
    this.timeout(20 * 60_000);
    lab = await labUp();
    dir = mkdtempSync(path.join(tmpdir(), 'gcm-lab-faults-'));
  });

  afterEach(async function () {
    this.timeout(60_000);
    if (lab) await clearFaults();
  });

  after(async () => {
    for (const p of pools) await p.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a link dropped during a session fails the command with a clear error within its timeout', async function () {
    this.timeout(120_000);
    const pool = newPool();
    const ok = await pool.exec('b2.glab.test', { argv: ['hostname'] });
    assert.equal(ok.stdout.toString().trim(), 'b2.glab.test');
    await injectFault('b2', { kind: 'link-down' });
    const started = Date.now();
    await assert.rejects(pool.exec('b2.glab.test', { argv: ['sleep', '30'], timeoutMs: 5_000 }), (e: unknown) => {
      assert.ok(e instanceof RemoteError, String(e));
      assert.match(e.message, /^b2\.glab\.test/);
      return true;
    });
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 15, `failed after ${seconds.toFixed(1)} s, timeout was 5 s`);
    await clearFaults('b2');
    // The pool reconnects for the next command once the link is back.
    const again = await pool.exec('b2.glab.test', { argv: ['hostname'], timeoutMs: 30_000 });
    assert.equal(again.stdout.toString().trim(), 'b2.glab.test');
  });

  it('an unreachable node is a connect error naming the host, within the connect timeout', async function () {
    this.timeout(120_000);
    await injectFault('c1', { kind: 'link-down' });
    const pool = newPool();
    const started = Date.now();
    await assert.rejects(pool.exec('c1.glab.test', { argv: ['true'] }), (e: unknown) => {
      assert.ok(e instanceof RemoteError, String(e));
      assert.ok(['connect', 'timeout'].includes(e.kind), e.kind);
      assert.match(e.message, /c1\.glab\.test/);
      return true;
    });
    assert.ok(Date.now() - started < 20_000, 'gave up within the connect timeout');
  });

  it('a changed host key of a lab node is refused, naming both fingerprints, without asking', async function () {
    this.timeout(60_000);
    // known_hosts where a2's keys are replaced by a key it does not have.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'other')]);
    const other = readFileSync(path.join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const lines = readFileSync(lab.knownHosts, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const a2 = lab.nodes.find((n) => n.shortName === 'a2')!;
    const isA2 = (l: string) => l.split(' ')[0].split(',').some((h) => h === a2.name || h === a2.ip || h === 'a2');
    const tampered = [...lines.filter((l) => !isA2(l)), `${a2.name},${a2.ip} ${other}`].join('\n') + '\n';
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, tampered);
    const prompter = new ScriptedPrompter({ hostKey: true });
    const pool = newPool({ knownHostsPath: knownHosts, prompter });
    await assert.rejects(pool.exec(a2.name, { argv: ['true'] }), (e: unknown) => {
      assert.ok(e instanceof RemoteError && e.kind === 'hostkey', String(e));
      assert.equal((e.message.match(/SHA256:[A-Za-z0-9+/]+/g) ?? []).length >= 2, true, e.message);
      return true;
    });
    assert.equal(prompter.hostKeyQuestions.length, 0, 'a changed key is never offered for acceptance');
    assert.equal(readFileSync(knownHosts, 'utf8'), tampered, 'known_hosts unchanged');
  });

  it('ProxyJump reaches one lab node through another, checking both host keys', async function () {
    this.timeout(60_000);
    const a1 = lab.nodes.find((n) => n.shortName === 'a1')!;
    const b1 = lab.nodes.find((n) => n.shortName === 'b1')!;
    const config = path.join(dir, 'ssh_config_jump');
    writeFileSync(config, [
      `Host b1-via-a1`, `  HostName ${b1.ip}`, `  ProxyJump ${a1.name}`, '',
      readFileSync(lab.sshConfig, 'utf8'),
    ].join('\n'));
    const pool = newPool({ sshConfigPath: config });
    const r = await pool.exec('b1-via-a1', { argv: ['sh', '-c', 'hostname; echo "$SSH_CONNECTION"'] });
    const [hostname, connection] = r.stdout.toString().trim().split('\n');
    assert.equal(hostname, b1.name);
    // The session into b1 comes from a1's address, not from the host's own lab address.
    assert.equal(connection.split(' ')[0], a1.ip);
  });
});
