import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseProxyJump, resolveHost, SshConfigContext } from '../../../src/core/remote/ssh-config';
import { readSshConfigText } from '../../../src/core/remote/ssh-config-file';

const ctx = (configText: string): SshConfigContext => ({ configText, homeDir: '/home/op', localUser: 'op', defaultUser: 'root' });

const CONFIG = `
Host a1
  HostName 10.254.0.11
  Port 2201
  User admin
  IdentityFile ~/.ssh/lab_ed25519
  IdentityFile %d/.ssh/%r@%h
  ProxyJump jump

Host jump
  HostName bastion.example.com
  User jumper
  IdentitiesOnly yes

Host b?
  ProxyJump ops@jump:2022,c1

Host *
  User fallback
`;

describe('remote/ssh-config', () => {
  it('resolves HostName, User, Port, IdentityFile (tokens expanded) and ProxyJump', () => {
    const r = resolveHost('a1', ctx(CONFIG));
    assert.equal(r.hostName, '10.254.0.11');
    assert.equal(r.port, 2201);
    assert.equal(r.user, 'admin');
    assert.deepEqual(r.identityFiles, ['/home/op/.ssh/lab_ed25519', '/home/op/.ssh/admin@10.254.0.11']);
    assert.equal(r.proxyJump.length, 1);
    assert.deepEqual(r.proxyJump[0], {
      alias: 'jump', hostName: 'bastion.example.com', user: 'jumper', port: 22, identityFiles: [], identitiesOnly: true,
    });
  });

  it('uses the first value of each option, like OpenSSH, and jump user/port overrides', () => {
    const r = resolveHost('b1', ctx(CONFIG));
    assert.equal(r.user, 'fallback');
    assert.deepEqual(r.proxyJump.map((j) => `${j.user}@${j.hostName}:${j.port}`), ['ops@bastion.example.com:2022', 'fallback@c1:22']);
  });

  it('falls back to the alias, port 22 and the default user without a config', () => {
    const r = resolveHost('node9.example.com', ctx(''));
    assert.deepEqual(
      { h: r.hostName, u: r.user, p: r.port, j: r.proxyJump.length },
      { h: 'node9.example.com', u: 'root', p: 22, j: 0 },
    );
  });

  it('refuses hostile aliases, HostNames and jump hosts', () => {
    assert.throws(() => resolveHost('a;rm -rf /', ctx('')), /invalid host name/);
    assert.throws(() => resolveHost('x', ctx('Host x\n  HostName $(id)\n')), /invalid HostName of x/);
    assert.throws(() => parseProxyJump('ok,`x`'), /invalid ProxyJump|invalid ProxyJump host/);
    assert.throws(() => resolveHost('x', ctx('Host x\n  Port 99999\n')), /invalid Port/);
  });

  it('parses ProxyJump forms', () => {
    assert.deepEqual(parseProxyJump('none'), []);
    assert.deepEqual(parseProxyJump('ssh://u@h:2200, [::1]:22'), [{ host: 'h', user: 'u', port: 2200 }, { host: '::1', user: undefined, port: 22 }]);
  });
});

describe('remote/ssh-config-file: Include', () => {
  it('inlines included files (relative to ~/.ssh, globs in the file name, nested)', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'sshcfg-'));
    try {
      mkdirSync(path.join(home, '.ssh', 'conf.d'), { recursive: true });
      writeFileSync(path.join(home, '.ssh', 'config'), 'Include conf.d/*.conf ~/.ssh/missing\nHost *\n  User fallback\n');
      writeFileSync(path.join(home, '.ssh', 'conf.d', '10-lab.conf'), 'Host a1\n  HostName 10.254.0.11\nInclude conf.d/nested\n');
      writeFileSync(path.join(home, '.ssh', 'conf.d', 'nested'), 'Host b1\n  Port 2222\n');
      writeFileSync(path.join(home, '.ssh', 'conf.d', 'ignored.txt'), 'Host a1\n  HostName 6.6.6.6\n');
      const text = await readSshConfigText(path.join(home, '.ssh', 'config'), home);
      const c = { ...ctx(text), homeDir: home };
      assert.equal(resolveHost('a1', c).hostName, '10.254.0.11');
      assert.equal(resolveHost('b1', c).port, 2222);
      assert.equal(resolveHost('b1', c).user, 'fallback');
      assert.equal(await readSshConfigText(path.join(home, 'none'), home), '');
      writeFileSync(path.join(home, '.ssh', 'loop'), 'Include loop\n');
      await assert.rejects(readSshConfigText(path.join(home, '.ssh', 'loop'), home), /nested too deeply/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('an ssh config that is a directory is one line naming it, not a raw EISDIR', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'gcm-sshcfg-dir-'));
    try {
      mkdirSync(path.join(home, 'config.d'));
      await assert.rejects(readSshConfigText(path.join(home, 'config.d'), home), /^Error: cannot read the ssh config ".*config\.d": it is a directory$/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
