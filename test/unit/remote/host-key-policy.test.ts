import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RemoteError } from '../../../src/core/remote/errors';
import { preferredHostKeyAlgorithms, verifyHostKey } from '../../../src/core/remote/host-key-policy';
import { fingerprintSha256, KnownHostsFile } from '../../../src/core/remote/known-hosts';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { HostEndpoint } from '../../../src/core/remote/ssh-config';

function key(dir: string, name: string, type = 'ed25519') {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const pub = readFileSync(`${file}.pub`, 'utf8').trim();
  return { pub, blob: Buffer.from(pub.split(' ')[1], 'base64') };
}

describe('remote/host-key-policy', () => {
  let dir: string;
  let good: ReturnType<typeof key>;
  let other: ReturnType<typeof key>;
  const endpoint: HostEndpoint = { alias: 'b1', hostName: 'b1.glab.test', user: 'root', port: 22, identityFiles: [], identitiesOnly: false };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hkp-'));
    good = key(dir, 'good');
    other = key(dir, 'other');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('asks about an unknown key and records it only when accepted', async () => {
    const file = path.join(dir, 'kh-unknown');
    const no = new ScriptedPrompter({ hostKey: false });
    await assert.rejects(verifyHostKey(new KnownHostsFile(file), no, endpoint, good.blob), (e: RemoteError) =>
      e.kind === 'hostkey' && e.host === 'b1' && e.message.includes(fingerprintSha256(good.blob)));
    assert.equal(existsSync(file), false);
    assert.deepEqual(no.hostKeyQuestions, [{ alias: 'b1', host: 'b1.glab.test', port: 22, keyType: 'ssh-ed25519', fingerprint: fingerprintSha256(good.blob) }]);

    const yes = new ScriptedPrompter({ hostKey: true });
    await verifyHostKey(new KnownHostsFile(file), yes, endpoint, good.blob);
    assert.match(readFileSync(file, 'utf8'), /^b1\.glab\.test ssh-ed25519 /);
    await verifyHostKey(new KnownHostsFile(file), yes, endpoint, good.blob);
    assert.equal(yes.hostKeyQuestions.length, 1, 'asked once, then known');
  });

  it('refuses a changed key naming both fingerprints, without asking', async () => {
    const file = path.join(dir, 'kh-changed');
    writeFileSync(file, `b1.glab.test ${other.pub}\n`);
    const prompter = new ScriptedPrompter({ hostKey: true });
    await assert.rejects(verifyHostKey(new KnownHostsFile(file), prompter, endpoint, good.blob), (e: RemoteError) =>
      e.kind === 'hostkey' && /HOST KEY CHANGED/.test(e.message) &&
      e.message.includes(fingerprintSha256(good.blob)) && e.message.includes(fingerprintSha256(other.blob)));
    assert.equal(prompter.hostKeyQuestions.length, 0);
    assert.equal(readFileSync(file, 'utf8'), `b1.glab.test ${other.pub}\n`, 'known_hosts untouched');
  });

  it('also accepts keys from an also-trusted file (by alias or address), which never makes a key "changed"', async () => {
    const file = path.join(dir, 'kh-main');
    const extra = path.join(dir, 'kh-readded');
    writeFileSync(file, `b1.glab.test ${other.pub}\n`);
    const prompter = new ScriptedPrompter({ hostKey: true });
    const missingExtra = new KnownHostsFile(file, false, [path.join(dir, 'absent')]);
    await assert.rejects(verifyHostKey(missingExtra, prompter, endpoint, good.blob), (e: RemoteError) => /HOST KEY CHANGED/.test(e.message));
    writeFileSync(extra, `b1 ${good.pub}\n`); // keyed by the alias, as the merger writes node names
    await verifyHostKey(new KnownHostsFile(file, false, [extra]), prompter, endpoint, good.blob);
    await verifyHostKey(new KnownHostsFile(file, false, [extra]), prompter, endpoint, other.blob); // the main file still counts
    writeFileSync(extra, `some-other-host ${good.pub}\n`);
    await assert.rejects(verifyHostKey(new KnownHostsFile(file, false, [extra]), prompter, endpoint, good.blob), (e: RemoteError) => e.kind === 'hostkey');
    assert.equal(prompter.hostKeyQuestions.length, 0);
    assert.equal(readFileSync(file, 'utf8'), `b1.glab.test ${other.pub}\n`, 'the main file is never written');
  });

  it('refuses a revoked key', async () => {
    const file = path.join(dir, 'kh-revoked');
    writeFileSync(file, `@revoked * ${good.pub}\n`);
    await assert.rejects(verifyHostKey(new KnownHostsFile(file), new ScriptedPrompter({ hostKey: true }), endpoint, good.blob), /@revoked/);
  });

  it('prefers the host key algorithms already recorded for the host', async () => {
    const rsa = key(dir, 'rsa', 'rsa');
    const file = path.join(dir, 'kh-rsa');
    writeFileSync(file, `b1.glab.test ${rsa.pub}\n`);
    const algos = await preferredHostKeyAlgorithms(new KnownHostsFile(file), endpoint);
    assert.deepEqual(algos.slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.ok(algos.includes('ssh-ed25519'));
    assert.equal((await preferredHostKeyAlgorithms(new KnownHostsFile(path.join(dir, 'none')), endpoint))[0], 'ssh-ed25519');
  });
});
