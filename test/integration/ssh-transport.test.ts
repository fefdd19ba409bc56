/**
 * The ssh transport against real OpenSSH servers on 127.0.0.1: host key policy, agent and identity
 * file auth, ProxyJump, the channel limit, abort/timeout, hostile argv and transcripts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { AddressInfo, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RemoteError } from '../../src/core/remote/errors';
import { checkHostKey, parseKnownHosts } from '../../src/core/remote/known-hosts';
import { ScriptedPrompter } from '../../src/core/operator/prompter';
import { secret } from '../../src/core/remote/secret';
import { TranscriptEvent } from '../../src/core/remote/transcript';
import { SshPool, SshPoolOptions } from '../../src/core/remote/transport';
import { generateKey, isRoot, KeyPair, startAgent, startSshd, TestSshd } from './helpers/sshd';

describe('ssh transport against a real sshd', function () {
  let work: string;
  let clientKey: KeyPair;
  let sshd: TestSshd;
  const pools: SshPool[] = [];

  before(async function () {
    if (!isRoot()) {
      console.warn('\n  !!! SKIPPING ssh transport integration tests: they start sshd and must run as root (CI runs them as root) !!!\n');
      this.skip();
    }
    work = mkdtempSync(path.join(tmpdir(), 'ssh-transport-'));
    clientKey = generateKey(work, 'id_client');
    sshd = await startSshd({ authorizedKeys: [clientKey.publicLine] });
  });

  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await sshd?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A pool with its own home: ssh config, known_hosts, no agent unless given. */
  function makePool(opts: { config: string; knownHosts?: string; prompter?: ScriptedPrompter } & Partial<SshPoolOptions>) {
    const home = mkdtempSync(path.join(work, 'home-'));
    const knownHostsPath = path.join(home, 'known_hosts');
    if (opts.knownHosts !== undefined) writeFileSync(knownHostsPath, opts.knownHosts);
    writeFileSync(path.join(home, 'config'), opts.config);
    const prompter = opts.prompter ?? new ScriptedPrompter({ hostKey: true });
    const pool = new SshPool({
      agentSocket: null,
      homeDir: home,
      sshConfigPath: path.join(home, 'config'),
      knownHostsPath,
      connectTimeoutMs: 15_000,
      ...opts,
      prompter,
    });
    pools.push(pool);
    return { pool, prompter, knownHostsPath };
  }

  const hostConfig = (port: number, key: string, alias = 'node1') =>
    `Host ${alias}\n  HostName 127.0.0.1\n  Port ${port}\n  User root\n  IdentityFile ${key}\n`;
  const knownLine = (port: number, pub: string) => `[127.0.0.1]:${port} ${pub.split(' ').slice(0, 2).join(' ')}\n`;

  describe('host keys', () => {
    it('accepts a key recorded in known_hosts without asking', async () => {
      const { pool, prompter } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), knownHosts: knownLine(sshd.port, sshd.hostKey.publicLine) });
      const r = await pool.exec('node1', { argv: ['echo', 'ok'] });
      assert.equal(r.stdout.toString(), 'ok\n');
      assert.equal(prompter.hostKeyQuestions.length, 0);
    });

    it('asks about an unknown key with its SHA256 fingerprint and records it when accepted', async () => {
      const { pool, prompter, knownHostsPath } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      await pool.exec('node1', { argv: ['true'] });
      assert.equal(prompter.hostKeyQuestions.length, 1);
      const q = prompter.hostKeyQuestions[0];
      assert.deepEqual([q.alias, q.host, q.port, q.keyType, q.fingerprint], ['node1', '127.0.0.1', sshd.port, 'ssh-ed25519', sshd.hostKey.fingerprint]);
      const entries = parseKnownHosts(readFileSync(knownHostsPath, 'utf8'));
      assert.equal(checkHostKey(entries, '127.0.0.1', sshd.port, sshd.hostKey.blob).status, 'match');
      // OpenSSH's own client agrees with what was recorded.
      assert.match(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHostsPath]).toString(), /ssh-ed25519/);
    });

    it('refuses an unknown key that is declined, recording nothing', async () => {
      const prompter = new ScriptedPrompter({ hostKey: false });
      const { pool, knownHostsPath } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), prompter });
      const loginsBefore = sshd.acceptedLogins();
      await assert.rejects(pool.exec('node1', { argv: ['true'] }), (e: RemoteError) =>
        e.kind === 'hostkey' && e.message.includes(sshd.hostKey.fingerprint) && e.message.includes(`127.0.0.1:${sshd.port}`));
      assert.equal(existsSync(knownHostsPath), false);
      assert.equal(sshd.acceptedLogins(), loginsBefore, 'no login happened');
      assert.equal(prompter.hostKeyQuestions.length, 1);
    });

    it('refuses a changed key, naming the host and both fingerprints, without asking', async () => {
      const impostor = generateKey(work, 'impostor_host_key');
      const { pool, prompter } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), knownHosts: knownLine(sshd.port, impostor.publicLine) });
      await assert.rejects(pool.exec('node1', { argv: ['true'] }), (e: RemoteError) => {
        assert.equal(e.kind, 'hostkey');
        assert.match(e.message, new RegExp(`^node1 \\(127\\.0\\.0\\.1:${sshd.port}\\): HOST KEY CHANGED`));
        assert.equal(e.host, 'node1');
        assert.ok(e.message.includes(sshd.hostKey.fingerprint), 'presented fingerprint');
        assert.ok(e.message.includes(impostor.fingerprint), 'recorded fingerprint');
        return true;
      });
      assert.equal(prompter.hostKeyQuestions.length, 0);
    });

    it('matches a hashed known_hosts entry (made by ssh-keygen -H)', async () => {
      const { pool, prompter, knownHostsPath } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), knownHosts: knownLine(sshd.port, sshd.hostKey.publicLine) });
      execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHostsPath], { stdio: 'ignore' });
      assert.ok(readFileSync(knownHostsPath, 'utf8').startsWith('|1|'));
      await pool.exec('node1', { argv: ['true'] });
      assert.equal(prompter.hostKeyQuestions.length, 0);
    });
  });

  describe('authentication', () => {
    it('authenticates with an identity file from the ssh config, unlocking it with a prompted passphrase', async () => {
      const locked = generateKey(work, 'id_locked', { passphrase: 'correct horse' });
      writeFileSync(sshd.authorizedKeysFile, `${clientKey.publicLine}\n${locked.publicLine}\n`);
      const prompter = new ScriptedPrompter({ hostKey: true, passphrase: 'correct horse' });
      const { pool } = makePool({ config: hostConfig(sshd.port, locked.privatePath), prompter });
      const r = await pool.exec('node1', { argv: ['id', '-un'] });
      assert.equal(r.stdout.toString().trim(), 'root');
      assert.deepEqual(prompter.passphraseQuestions, [{ keyPath: locked.privatePath, attempt: 1 }]);
    });

    it('authenticates through ssh-agent (SSH_AUTH_SOCK) when no identity file is usable', async () => {
      const agentKey = generateKey(work, 'id_agent_only');
      writeFileSync(sshd.authorizedKeysFile, `${clientKey.publicLine}\n${agentKey.publicLine}\n`);
      const agent = await startAgent(work, [agentKey.privatePath]);
      try {
        rmSync(agentKey.privatePath); // only the agent holds the key now
        const { pool } = makePool({ config: hostConfig(sshd.port, path.join(work, 'no-such-key')), agentSocket: agent.socket });
        const r = await pool.exec('node1', { argv: ['echo', 'via-agent'] });
        assert.equal(r.stdout.toString(), 'via-agent\n');
        assert.match(sshd.log(), /Accepted publickey for root from 127\.0\.0\.1 .*ED25519 SHA256:/);
        assert.ok(sshd.log().includes(agentKey.fingerprint), 'the agent key was the one accepted');
      } finally {
        agent.stop();
      }
    });

    it('reports an authentication failure with host and what was tried', async () => {
      const stranger = generateKey(work, 'id_stranger');
      const { pool } = makePool({ config: hostConfig(sshd.port, stranger.privatePath) });
      await assert.rejects(pool.exec('node1', { argv: ['true'] }), (e: RemoteError) =>
        e.kind === 'auth' && e.message.startsWith(`node1 (127.0.0.1:${sshd.port}): authentication as root failed`) && e.message.includes(stranger.privatePath));
    });

    it('authenticates with the identityFile option (--identity) when the ssh config names a key sshd refuses', async () => {
      const stranger = generateKey(work, 'id_stranger_for_identity');
      const { pool } = makePool({ config: hostConfig(sshd.port, stranger.privatePath), identityFile: clientKey.privatePath });
      const logins = sshd.acceptedLogins();
      const r = await pool.exec('node1', { argv: ['echo', 'via-identity'] });
      assert.equal(r.stdout.toString(), 'via-identity\n');
      assert.equal(sshd.acceptedLogins(), logins + 1);
      assert.ok(sshd.log().includes(clientKey.fingerprint), 'the operator key was the one accepted');
      // and without the option the same config is refused: the option made the difference
      const { pool: without } = makePool({ config: hostConfig(sshd.port, stranger.privatePath) });
      await assert.rejects(without.exec('node1', { argv: ['true'] }), (e: RemoteError) => e.kind === 'auth');
    });

    it('refuses an unreadable identityFile before connecting, naming the file', async () => {
      const missing = path.join(work, 'no-such-identity');
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), identityFile: missing });
      await assert.rejects(pool.exec('node1', { argv: ['true'] }), (e: RemoteError) =>
        e.kind === 'auth' && e.message.startsWith(`node1: identity file ${missing} cannot be read:`) && /ENOENT/.test(e.message));
      assert.equal(pool.connectionsOpened, 0);
    });

    it('reports a refused connection with host and cause', async () => {
      const { pool } = makePool({ config: hostConfig(1, clientKey.privatePath) });
      await assert.rejects(pool.exec('node1', { argv: ['true'] }), (e: RemoteError) =>
        e.kind === 'connect' && /^node1 \(127\.0\.0\.1:1\): cannot connect: .*ECONNREFUSED/.test(e.message));
    });

    it('does not count the time a human takes to answer the host key question against the connect timeout', async () => {
      class SlowPrompter extends ScriptedPrompter {
        override async askHostKey(q: Parameters<ScriptedPrompter['askHostKey']>[0]): Promise<boolean> {
          await new Promise((r) => setTimeout(r, 2500));
          return super.askHostKey(q);
        }
      }
      const prompter = new SlowPrompter({ hostKey: true });
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), prompter, connectTimeoutMs: 1500 });
      const r = await pool.exec('node1', { argv: ['echo', 'patient'] });
      assert.equal(r.stdout.toString(), 'patient\n');
      assert.equal(prompter.hostKeyQuestions.length, 1);
    });

    it('times out a server that never answers, naming the host, and an abort ends the wait sooner', async () => {
      const accepted: Socket[] = [];
      const silent = createServer((socket) => accepted.push(socket)); // accepts TCP, never speaks SSH
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const port = (silent.address() as AddressInfo).port;
      try {
        const { pool } = makePool({ config: hostConfig(port, clientKey.privatePath), connectTimeoutMs: 1000 });
        const started = Date.now();
        await assert.rejects(pool.exec('node1', { argv: ['true'] }), (e: RemoteError) =>
          e.kind === 'timeout' && e.message.startsWith(`node1 (127.0.0.1:${port}): connection timed out after 1000 ms`));
        assert.ok(Date.now() - started < 5000);

        const ac = new AbortController();
        setTimeout(() => ac.abort(), 300);
        const { pool: patient } = makePool({ config: hostConfig(port, clientKey.privatePath), connectTimeoutMs: 60_000 });
        const t0 = Date.now();
        await assert.rejects(patient.exec('node1', { argv: ['true'], signal: ac.signal }), (e: RemoteError) =>
          e.kind === 'aborted' && e.message === 'node1: aborted while connecting');
        assert.ok(Date.now() - t0 < 5000, 'the abort did not wait for the connect timeout');
      } finally {
        for (const socket of accepted) socket.destroy();
        silent.close();
      }
    });

    it('validates host names before any lookup or connection', async () => {
      const { pool } = makePool({ config: '' });
      for (const bad of ['a;rm -rf /', '$(x)', "a'b", 'a\nb']) {
        await assert.rejects(pool.exec(bad, { argv: ['true'] }), /invalid host name/);
      }
      assert.equal(pool.connectionsOpened, 0);
    });
  });

  describe('ProxyJump', () => {
    let jump: TestSshd;
    let inner: TestSshd;
    before(async () => {
      jump = await startSshd({ authorizedKeys: [clientKey.publicLine], logLevel: 'DEBUG1' });
      inner = await startSshd({ authorizedKeys: [clientKey.publicLine] });
    });
    after(async () => {
      await inner?.stop();
      await jump?.stop();
    });
    const jumpConfig = () => `${hostConfig(jump.port, clientKey.privatePath, 'jumphost')}` +
      `Host inner\n  HostName 127.0.0.1\n  Port ${inner.port}\n  User root\n  IdentityFile ${clientKey.privatePath}\n  ProxyJump jumphost\n`;

    it('reaches a host through a jump host with forwardOut, checking both host keys', async () => {
      const { pool, prompter } = makePool({ config: jumpConfig() });
      const r = await pool.exec('inner', { argv: ['echo', 'inside'] });
      assert.equal(r.stdout.toString(), 'inside\n');
      assert.deepEqual(prompter.hostKeyQuestions.map((q) => [q.alias, q.port, q.fingerprint]), [
        ['jumphost', jump.port, jump.hostKey.fingerprint],
        ['inner', inner.port, inner.hostKey.fingerprint],
      ]);
      // The jump host's sshd opened the tunnel to the inner one.
      assert.match(jump.log(), new RegExp(`direct_tcpip: originator .* target 127\\.0\\.0\\.1 port ${inner.port}`));
      assert.equal(pool.connectionsOpened, 1);
    });

    it('refuses to continue when the jump host key is wrong', async () => {
      const impostor = generateKey(work, 'impostor_jump');
      const { pool, prompter } = makePool({ config: jumpConfig(), knownHosts: knownLine(jump.port, impostor.publicLine) });
      await assert.rejects(pool.exec('inner', { argv: ['true'] }), (e: RemoteError) => e.kind === 'hostkey' && e.message.startsWith(`jumphost (127.0.0.1:${jump.port}): HOST KEY CHANGED`));
      assert.equal(prompter.hostKeyQuestions.length, 0, 'the inner host was never reached');
    });
  });

  describe('commands on one connection', () => {
    it('runs 100 commands in parallel on ONE connection with at most 8 channels at once', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      const loginsBefore = sshd.acceptedLogins();
      const dir = mkdtempSync(path.join(work, 'concurrency-'));
      const script = 'd=$1; touch "$d/run.$$"; ls "$d" | grep -c "^run\\." >> "$d.log"; sleep 0.2; rm "$d/run.$$"; echo done';
      const results = await Promise.all(Array.from({ length: 100 }, () => pool.exec('node1', { argv: ['sh', '-c', script, 'probe', dir], timeoutMs: 60_000 })));
      assert.ok(results.every((r) => r.code === 0 && r.stdout.toString() === 'done\n'), 'all 100 succeeded');
      const counts = readFileSync(`${dir}.log`, 'utf8').trim().split('\n').map(Number);
      assert.equal(counts.length, 100);
      const maxSeen = Math.max(...counts);
      assert.ok(maxSeen <= 8, `at most 8 commands ran at once on the server, saw ${maxSeen}`);
      assert.ok(maxSeen >= 4, `commands did run concurrently (saw ${maxSeen})`);
      assert.equal(pool.connectionsOpened, 1);
      assert.deepEqual([...pool.connectionsByHost()], [['node1', 1]]);
      assert.equal(sshd.acceptedLogins() - loginsBefore, 1, 'the server saw exactly one login');
      assert.ok((await pool.connection('node1')).maxConcurrentChannels <= 8);
    });

    async function remoteSleepers(tag: string): Promise<string> {
      try {
        return execFileSync('pgrep', ['-f', `sleep ${tag}`]).toString().trim();
      } catch {
        return ''; // pgrep exits 1 when nothing matches
      }
    }
    async function waitUntilGone(tag: string): Promise<string> {
      for (let i = 0; i < 50; i++) {
        const left = await remoteSleepers(tag);
        if (left === '') return '';
        await new Promise((r) => setTimeout(r, 100));
      }
      return remoteSleepers(tag);
    }

    it('a timeout kills the remote process and frees the channel', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath), maxChannelsPerHost: 1 });
      const started = Date.now();
      await assert.rejects(pool.exec('node1', { argv: ['sleep', '1001.25'], timeoutMs: 1000 }), (e: RemoteError) =>
        e.kind === 'timeout' && e.message.includes('sleep 1001.25'));
      assert.ok(Date.now() - started < 5000);
      assert.equal(await waitUntilGone('1001.25'), '', 'remote sleep is gone');
      const r = await pool.exec('node1', { argv: ['echo', 'next'], timeoutMs: 10_000 });
      assert.equal(r.stdout.toString(), 'next\n', 'the only channel slot was released');
    });

    it('an abort kills the remote process, and a pre-aborted command never starts', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      const ac = new AbortController();
      const running = pool.exec('node1', { argv: ['sleep', '1002.5'], signal: ac.signal });
      for (let i = 0; i < 50 && (await remoteSleepers('1002.5')) === ''; i++) await new Promise((r) => setTimeout(r, 100));
      assert.notEqual(await remoteSleepers('1002.5'), '', 'the remote sleep started');
      ac.abort();
      await assert.rejects(running, (e: RemoteError) => e.kind === 'aborted');
      assert.equal(await waitUntilGone('1002.5'), '', 'remote sleep is gone');
      await assert.rejects(pool.exec('node1', { argv: ['touch', path.join(work, 'must-not-exist')], signal: AbortSignal.abort() }),
        (e: RemoteError) => e.kind === 'aborted');
      assert.equal(existsSync(path.join(work, 'must-not-exist')), false);
    });

    it('an abort kills the whole remote process group, not just the shell', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      const ac = new AbortController();
      const running = pool.exec('node1', { argv: ['sh', '-c', 'sleep 1003.75; echo never'], signal: ac.signal });
      for (let i = 0; i < 50 && (await remoteSleepers('1003.75')) === ''; i++) await new Promise((r) => setTimeout(r, 100));
      ac.abort();
      await assert.rejects(running, (e: RemoteError) => e.kind === 'aborted');
      assert.equal(await waitUntilGone('1003.75'), '', 'the shell\'s child is gone too');
    });

    it('stderr of a command is intact (the pid line used for kills is not part of it)', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      const r = await pool.exec('node1', { argv: ['sh', '-c', 'echo out; echo err1 >&2; echo err2 >&2'] });
      assert.deepEqual([r.stdout.toString(), r.stderr.toString()], ['out\n', 'err1\nerr2\n']);
    });

    it('a lost connection fails the running command with the host named, and the next command reconnects', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      await pool.exec('node1', { argv: ['true'] });
      // The command's parent is this connection's sshd process: killing it drops the connection.
      await assert.rejects(pool.exec('node1', { argv: ['sh', '-c', 'kill -9 $PPID; sleep 5'], timeoutMs: 20_000 }), (e: RemoteError) =>
        e.kind === 'connect' && e.message.startsWith('node1: '));
      const r = await pool.exec('node1', { argv: ['echo', 'again'] });
      assert.equal(r.stdout.toString(), 'again\n');
      assert.equal(pool.connectionsOpened, 2);
      assert.deepEqual([...pool.connectionsByHost()], [['node1', 2]]);
    });

    it('a command printing more than the output limit is stopped', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      await assert.rejects(pool.exec('node1', { argv: ['sh', '-c', 'yes output-1004 | head -c 50000000; sleep 1004.5'], maxOutputBytes: 100_000 }),
        (e: RemoteError) => e.kind === 'output' && /exceeded 100000 bytes/.test(e.message));
      assert.equal(await waitUntilGone('1004.5'), '');
    });

    it('hostile argv reaches the remote side as data, never as shell code', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      const canary = path.join(work, 'pwned');
      const hostile = [`a;touch ${canary}`, `$(touch ${canary})`, `\`touch ${canary}\``, "it's", '"q"', 'line1\nline2',
        `| touch ${canary}`, '&& true', '*', '~', '$HOME', '\\', ' spaced ', '', 'é漢'];
      const r = await pool.exec('node1', { argv: ['printf', '%s\\0', ...hostile] });
      const parts = r.stdout.toString('utf8').split('\0');
      parts.pop();
      assert.deepEqual(parts, hostile);
      const dir = mkdtempSync(path.join(work, 'names-'));
      await pool.exec('node1', { argv: ['touch', '--', ...hostile.filter((h) => h && !h.includes('/')).map((h) => path.join(dir, h))] });
      assert.equal(existsSync(canary), false, 'no injected command ran');
      assert.equal(readdirSync(dir).length, hostile.filter((h) => h && !h.includes('/')).length);
    });

    it('records a transcript event per command, with sizes and without secrets', async () => {
      const { pool } = makePool({ config: hostConfig(sshd.port, clientKey.privatePath) });
      const events: TranscriptEvent[] = [];
      pool.transcript.onEvent((e) => events.push(e));
      const drbdSecret = 'drbd-secret-5f4dcc3b5aa765d61d8327deb882cf99';
      await pool.exec('node1', { argv: ['printf', '%s', secret(drbdSecret)] });
      const r = await pool.exec('node1', { argv: ['sh', '-c', 'cat >/dev/null; echo err >&2; exit 3'], stdin: `key: ${drbdSecret}` });
      assert.equal(r.code, 3);
      assert.equal(events.length, 2);
      assert.deepEqual(events[0].argv, ['printf', '%s', '<redacted>']);
      assert.equal(events[0].stdoutBytes, drbdSecret.length);
      assert.deepEqual([events[1].exitCode, events[1].stderrBytes, events[1].stdinBytes], [3, 4, drbdSecret.length + 5]);
      assert.ok(events.every((e) => e.host === 'node1' && e.durationMs >= 0));
      assert.ok(!JSON.stringify(events).includes(drbdSecret));
    });
  });
});
