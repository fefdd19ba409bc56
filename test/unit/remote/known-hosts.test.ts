import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  checkHostKey, fingerprintSha256, formatKnownHostLine, KnownHostsFile, keyTypeOfBlob, knownKeyTypes, parseKnownHosts,
} from '../../../src/core/remote/known-hosts';

/** Real keys made by ssh-keygen, so fingerprints and hashes are checked against OpenSSH itself. */
function makeKey(dir: string, name: string, type = 'ed25519'): { blob: Buffer; pub: string; file: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const pub = readFileSync(`${file}.pub`, 'utf8').trim();
  return { blob: Buffer.from(pub.split(' ')[1], 'base64'), pub, file };
}

describe('remote/known-hosts', () => {
  let dir: string;
  let k1: ReturnType<typeof makeKey>;
  let k2: ReturnType<typeof makeKey>;
  let rsa: ReturnType<typeof makeKey>;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kh-test-'));
    k1 = makeKey(dir, 'k1');
    k2 = makeKey(dir, 'k2');
    rsa = makeKey(dir, 'rsa', 'rsa');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('computes the same SHA256 fingerprint as ssh-keygen -lf', () => {
    const expected = execFileSync('ssh-keygen', ['-lf', `${k1.file}.pub`]).toString().split(' ')[1];
    assert.equal(fingerprintSha256(k1.blob), expected);
    assert.equal(keyTypeOfBlob(k1.blob), 'ssh-ed25519');
    assert.equal(keyTypeOfBlob(rsa.blob), 'ssh-rsa');
  });

  it('matches plain, comma-listed and [host]:port entries', () => {
    const [type, b64] = k1.pub.split(' ');
    const entries = parseKnownHosts(`# comment\n\nnode1,10.0.0.1 ${type} ${b64}\n[node2]:2222 ${type} ${b64} root@x\n`);
    assert.equal(entries.length, 2);
    assert.deepEqual(checkHostKey(entries, 'node1', 22, k1.blob), { status: 'match' });
    assert.deepEqual(checkHostKey(entries, '10.0.0.1', 22, k1.blob), { status: 'match' });
    assert.deepEqual(checkHostKey(entries, 'node2', 2222, k1.blob), { status: 'match' });
    assert.deepEqual(checkHostKey(entries, 'node2', 22, k1.blob), { status: 'unknown' }, 'port 22 is a different entry');
    assert.deepEqual(checkHostKey(entries, 'node1', 2222, k1.blob), { status: 'unknown' });
  });

  it('matches entries hashed by ssh-keygen -H (including [host]:port)', () => {
    const file = path.join(dir, 'hashed');
    const [type, b64] = k1.pub.split(' ');
    writeFileSync(file, `node1 ${type} ${b64}\n[node2]:2222 ${type} ${b64}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('node1') && text.startsWith('|1|'), 'ssh-keygen hashed the names');
    const entries = parseKnownHosts(text);
    assert.deepEqual(checkHostKey(entries, 'node1', 22, k1.blob), { status: 'match' });
    assert.deepEqual(checkHostKey(entries, 'node2', 2222, k1.blob), { status: 'match' });
    assert.deepEqual(checkHostKey(entries, 'node3', 22, k1.blob), { status: 'unknown' });
  });

  it('reports a changed key with the recorded fingerprint', () => {
    const [type, b64] = k1.pub.split(' ');
    const entries = parseKnownHosts(`node1 ${type} ${b64}\n`);
    assert.deepEqual(checkHostKey(entries, 'node1', 22, k2.blob), { status: 'changed', knownFingerprints: [fingerprintSha256(k1.blob)] });
    // A host known only with another key type is still "changed": never silently asked again.
    assert.equal(checkHostKey(entries, 'node1', 22, rsa.blob).status, 'changed');
  });

  it('honours wildcards, negation and @revoked', () => {
    const [type, b64] = k1.pub.split(' ');
    const entries = parseKnownHosts(`*.glab.test,!bad.glab.test ${type} ${b64}\n@revoked * ${k2.pub}\n`);
    assert.equal(checkHostKey(entries, 'a1.glab.test', 22, k1.blob).status, 'match');
    assert.equal(checkHostKey(entries, 'bad.glab.test', 22, k1.blob).status, 'unknown');
    assert.equal(checkHostKey(entries, 'a1.glab.test', 22, k2.blob).status, 'revoked');
    assert.deepEqual(knownKeyTypes(entries, 'a1.glab.test', 22), ['ssh-ed25519']);
  });

  it('appends entries OpenSSH can find (plain and hashed)', async () => {
    for (const hashed of [false, true]) {
      const file = path.join(dir, `append-${hashed}`);
      writeFileSync(file, `other ${k2.pub}`); // no trailing newline: must not be glued to the new line
      const kh = new KnownHostsFile(file, hashed);
      await kh.append('127.0.0.1', 2222, k1.blob);
      const entries = await kh.read();
      assert.equal(entries.length, 2);
      assert.equal(checkHostKey(entries, '127.0.0.1', 2222, k1.blob).status, 'match');
      // ssh-keygen -F finds the entry, whether hashed or not.
      const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file]).toString();
      assert.match(found, /ssh-ed25519/);
      assert.equal(found.includes('|1|'), hashed);
    }
  });

  it('formats hashed lines with a fresh salt each time', () => {
    const a = formatKnownHostLine('h', 22, k1.blob, true);
    const b = formatKnownHostLine('h', 22, k1.blob, true);
    assert.notEqual(a, b);
    assert.equal(checkHostKey(parseKnownHosts(`${a}\n${b}`), 'h', 22, k1.blob).status, 'match');
  });

  it('reads a missing file as empty', async () => {
    assert.deepEqual(await new KnownHostsFile(path.join(dir, 'nope')).read(), []);
  });
});
