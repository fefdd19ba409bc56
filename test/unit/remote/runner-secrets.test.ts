import * as assert from 'node:assert/strict';
import { ganeti } from '../../../src/core/remote';
import { RemoteCommand } from '../../../src/core/remote/command';
import { RemoteError } from '../../../src/core/remote/errors';
import { interpretResult } from '../../../src/core/remote/runner';
import { redactArgv, REDACTED, secret } from '../../../src/core/remote/secret';
import { Semaphore } from '../../../src/core/remote/semaphore';

const KEY_LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA root@a1';

const result = (code: number | null, stdout = '', stderr = '') => ({
  code, stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), durationMs: 1,
});

describe('remote/runner: exit policy and secrets', () => {
  const drbdSecret = 'c0ffee-drbd-secret-9f8e7d';

  it('redacts secret argv elements everywhere they could be shown', () => {
    const argv = ['tool', '--secret', secret(drbdSecret)];
    assert.deepEqual(redactArgv(argv), ['tool', '--secret', REDACTED]);
    assert.ok(!JSON.stringify(argv).includes(drbdSecret));
    assert.ok(!String(argv[2]).includes(drbdSecret));
    assert.ok(!`${argv.join(' ')}`.includes(drbdSecret));
  });

  it('a failing command error names host, command and stderr, but no secret', () => {
    const cmd: RemoteCommand<void> = { argv: ['tool', secret(drbdSecret)], parse: () => undefined };
    assert.throws(() => interpretResult('b1.glab.test', cmd, result(4, '', 'permission denied')), (e: RemoteError) => {
      assert.equal(e.kind, 'exit');
      assert.equal(e.exitCode, 4);
      assert.match(e.message, /^b1\.glab\.test: tool <redacted> exited with code 4: permission denied$/);
      return !e.message.includes(drbdSecret);
    });
  });

  it('secret output is never quoted in errors', () => {
    const cmd: RemoteCommand<void> = { argv: ['cat', '/var/lib/ganeti/config.data'], secretOutput: true, parse: () => undefined };
    assert.throws(() => interpretResult('h', cmd, result(1, `{"drbd": "${drbdSecret}"}`, `partial ${drbdSecret}`)), (e: Error) => !e.message.includes(drbdSecret));
  });

  it('accepts only the declared exit codes and reports signals', () => {
    const cmd: RemoteCommand<number> = { argv: ['x'], okExitCodes: [0, 1], parse: (r) => r.code ?? -1 };
    assert.equal(interpretResult('h', cmd, result(1)), 1);
    assert.throws(() => interpretResult('h', cmd, result(2)), /exited with code 2/);
    assert.throws(() => interpretResult('h', cmd, { ...result(null), signal: 'KILL' }), /killed by signal KILL/);
  });

  it('a parser failure is a parse error naming the command', () => {
    const cmd: RemoteCommand<void> = { argv: ['gnt-node', 'list'], parse: () => { throw new Error('bad line 3'); } };
    assert.throws(() => interpretResult('h', cmd, result(0)), (e: RemoteError) => e.kind === 'parse' && /gnt-node list: bad line 3/.test(e.message));
  });

  it('a parser quoting a huge output line is cut to a bounded message (the journal keeps phase errors)', () => {
    const line = `${'x'.repeat(20_000_000)}\n`;
    const huge = { code: 0, stdout: Buffer.from(line), stderr: Buffer.alloc(0), durationMs: 0 };
    for (const cmd of [ganeti.removeAuthorizedKey(KEY_LINE), ganeti.createSnapshot('s1'), ganeti.masterNode()] as RemoteCommand<unknown>[]) {
      assert.throws(() => interpretResult('h', cmd, huge), (e: RemoteError) => {
        assert.equal(e.kind, 'parse');
        assert.ok(e.message.length < 3000, `${cmd.argv[0]}: ${e.message.length} characters`);
        assert.match(e.message, /\.\.\. \(\d+ characters\)$/);
        return true;
      });
    }
  });
});

describe('remote/semaphore', () => {
  it('never exceeds its limit and serves waiters in order', async () => {
    const sem = new Semaphore(3);
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      const release = await sem.acquire();
      active++;
      peak = Math.max(peak, active);
      order.push(i);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      release();
    }));
    assert.equal(peak, 3);
    assert.equal(sem.maxActive, 3);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  it('an aborted waiter gives up its place without taking a slot', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const ac = new AbortController();
    const waiting = sem.acquire(ac.signal);
    ac.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
    release();
    assert.equal(sem.inUse, 0);
    const again = await sem.acquire();
    assert.equal(sem.inUse, 1);
    again();
  });
});
