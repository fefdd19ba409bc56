import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { ganeti } from '../../../src/core/remote';
import { RemoteError } from '../../../src/core/remote/errors';
import { LocalShellRunner } from './local-runner';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv0merge root@a1.glab.test';

describe('remote/commands: file scripts run in a real shell', () => {
  const runner = new LocalShellRunner();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'remote-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a file atomically with mode, keeps the old owner, leaves no temp file', async () => {
    const target = path.join(dir, 'config.data');
    writeFileSync(target, 'old');
    const content = Buffer.from('{"new": "content with \'quotes\' and $(x)"}\n\0binary');
    await runner.run('local', ganeti.writeFileAtomic(target, content, { mode: '0640' }));
    assert.deepEqual(readFileSync(target), content);
    assert.equal(statSync(target).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['config.data']);
    assert.deepEqual(await runner.run('local', ganeti.readFile(target)), content);
  });

  it('a failed write leaves the old file untouched', async () => {
    const target = path.join(dir, 'config.data');
    writeFileSync(target, 'old');
    await assert.rejects(runner.run('local', ganeti.writeFileAtomic(target, 'new', { mode: '0640', owner: 'no-such-user-x' })),
      (e: RemoteError) => e.kind === 'exit');
    assert.equal(readFileSync(target, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['config.data']);
  });

  it('read errors never quote file content', async () => {
    await assert.rejects(runner.run('local', ganeti.readFile(path.join(dir, 'missing'))), (e: RemoteError) => {
      return e.kind === 'exit' && !e.message.includes('No such file');
    });
  });

  it('adds an authorized_keys line once, and removes only that exact line', async () => {
    const file = path.join(dir, 'ssh', 'authorized_keys');
    const first = await runner.run('local', ganeti.addAuthorizedKey(KEY, file));
    assert.deepEqual(first, { added: true });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(await runner.run('local', ganeti.addAuthorizedKey(KEY, file)), { added: false }, 'idempotent');
    assert.equal(readFileSync(file, 'utf8'), `${KEY}\n`);

    // Operator keys around it (one without a trailing newline, one that merely contains our line) survive.
    const other = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ operator';
    writeFileSync(file, `${other}\n${KEY} extra\n${KEY}\n# note`);
    assert.deepEqual(await runner.run('local', ganeti.addAuthorizedKey(KEY, file)), { added: false });
    assert.deepEqual(await runner.run('local', ganeti.removeAuthorizedKey(KEY, file)), { removed: true });
    assert.equal(readFileSync(file, 'utf8'), `${other}\n${KEY} extra\n# note\n`);
    assert.deepEqual(await runner.run('local', ganeti.removeAuthorizedKey(KEY, file)), { removed: false });

    writeFileSync(file, 'ssh-rsa AAAA x'); // no trailing newline: our line must not be glued to it
    await runner.run('local', ganeti.addAuthorizedKey(KEY, file));
    assert.equal(readFileSync(file, 'utf8'), `ssh-rsa AAAA x\n${KEY}\n`);
    chmodSync(file, 0o644);
    await runner.run('local', ganeti.removeAuthorizedKey(KEY, file));
    assert.equal(readFileSync(file, 'utf8'), 'ssh-rsa AAAA x\n');
    assert.equal(statSync(file).mode & 0o777, 0o644, 'mode kept on removal');
  });

  it('removing the only line leaves an empty file', async () => {
    const file = path.join(dir, 'authorized_keys');
    writeFileSync(file, `${KEY}\n`);
    assert.deepEqual(await runner.run('local', ganeti.removeAuthorizedKey(KEY, file)), { removed: true });
    assert.equal(readFileSync(file, 'utf8'), '');
  });

  it('snapshots a directory, streams it back, and restores it exactly', async () => {
    const location = { ganetiDir: path.join(dir, 'lib', 'ganeti'), snapshotDir: path.join(dir, 'snapshots') };
    mkdirSync(path.join(location.ganetiDir, 'queue'), { recursive: true });
    writeFileSync(path.join(location.ganetiDir, 'config.data'), '{"v":1}');
    writeFileSync(path.join(location.ganetiDir, 'server.pem'), 'PRIVATE');
    chmodSync(path.join(location.ganetiDir, 'server.pem'), 0o400);

    const info = await runner.run('local', ganeti.createSnapshot('merge-1_b1', location));
    assert.equal(info.path, path.join(location.snapshotDir, 'merge-1_b1.tar'));
    const sha = execFileSync('sha256sum', [info.path]).toString().split(' ')[0];
    assert.equal(info.sha256, sha);
    assert.equal(info.bytes, statSync(info.path).size);

    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await runner.run('local', ganeti.fetchSnapshot('merge-1_b1', sink, location));
    const localCopy = Buffer.concat(chunks);
    assert.deepEqual(localCopy, readFileSync(info.path));

    // Change the directory (as a merge would), then restore from the node's tar.
    writeFileSync(path.join(location.ganetiDir, 'config.data'), '{"v":2}');
    writeFileSync(path.join(location.ganetiDir, 'ssconf_new'), 'x');
    rmSync(path.join(location.ganetiDir, 'server.pem'), { force: true });
    await runner.run('local', ganeti.restoreSnapshot('merge-1_b1', { location }));
    assert.deepEqual(readdirSync(location.ganetiDir).sort(), ['config.data', 'queue', 'server.pem']);
    assert.equal(readFileSync(path.join(location.ganetiDir, 'config.data'), 'utf8'), '{"v":1}');
    assert.equal(statSync(path.join(location.ganetiDir, 'server.pem')).mode & 0o777, 0o400);

    // The node's tar is gone: restore from the local copy over stdin.
    await runner.run('local', ganeti.deleteSnapshot('merge-1_b1', location));
    assert.ok(!existsSync(info.path));
    writeFileSync(path.join(location.ganetiDir, 'config.data'), '{"v":3}');
    await runner.run('local', ganeti.restoreSnapshot('merge-1_b1', { location, localCopy }));
    assert.equal(readFileSync(path.join(location.ganetiDir, 'config.data'), 'utf8'), '{"v":1}');
  });

  it('refuses to restore a tar holding entries outside the directory, deleting nothing', async () => {
    const location = { ganetiDir: path.join(dir, 'ganeti'), snapshotDir: path.join(dir, 'snapshots') };
    mkdirSync(location.ganetiDir);
    mkdirSync(location.snapshotDir);
    writeFileSync(path.join(location.ganetiDir, 'keep'), 'x');
    mkdirSync(path.join(dir, 'evil'));
    writeFileSync(path.join(dir, 'evil', 'f'), 'x');
    execFileSync('tar', ['-C', dir, '-cf', path.join(location.snapshotDir, 'bad.tar'), 'evil']);
    await assert.rejects(runner.run('local', ganeti.restoreSnapshot('bad', { location })), /exited with code 3.*outside/s);
    assert.deepEqual(readdirSync(location.ganetiDir), ['keep']);
  });
});
