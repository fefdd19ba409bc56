/**
 * verifyClean (verify-target, verify-merged): a config.data checksum difference between the copies
 * can be a write still being distributed (every verify writes the file), so that alone is verified
 * once more after a pause; anything else, or a difference that stays, fails the phase at once.
 */
import * as assert from 'node:assert/strict';
import type { PhaseContext } from '../../../src/core/merger/phase';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import type { RemoteCommand } from '../../../src/core/remote/command';
import { verifyClean } from '../../../src/core/phases/verify-target';

const CLEAN = { stdout: 'Sat Dec  5 00:54:22 2026 * Hooks Results\n', code: 0 };
const COPIES_DIFFER = {
  stdout: 'Sat Dec  5 00:53:34 2026   - ERROR:ECLUSTERFILECHECK:cluster:None:File /var/lib/ganeti/config.data found with 2 different checksums (variant 1 on a1; variant 2 on a2)\n',
  code: 1,
};
const NODE_DOWN = { stdout: 'Sat Dec  5 00:53:34 2026   - ERROR:ENODERPC:node:a2:unable to reach node\n', code: 1 };

/** A context whose every command is `gnt-cluster verify`, answered in turn by `replies`. */
function contextAnswering(...replies: { stdout: string; code: number }[]) {
  const progress: string[] = [];
  let calls = 0;
  const ctx = {
    options: DEFAULT_PLAN_OPTIONS,
    progress: (m: string) => progress.push(m),
    checkpoint: () => undefined,
    run: async <T>(_host: string, command: RemoteCommand<T>): Promise<T> => {
      assert.deepEqual(command.argv.slice(0, 2), ['gnt-cluster', 'verify']);
      const reply = replies[Math.min(calls++, replies.length - 1)];
      return command.parse({ stdout: Buffer.from(reply.stdout), stderr: Buffer.alloc(0), code: reply.code, durationMs: 1 });
    },
  } as unknown as PhaseContext;
  return { ctx, progress, calls: () => calls };
}

describe('verifyClean: a config.data difference between copies is verified once more', () => {
  it('a difference gone on the second verify passes, saying why it verified again', async () => {
    const c = contextAnswering(COPIES_DIFFER, CLEAN);
    await verifyClean(c.ctx, 'a1', 'the target alpha', 1);
    assert.equal(c.calls(), 2);
    assert.match(c.progress.join('\n'), /the target alpha: ECLUSTERFILECHECK File \/var\/lib\/ganeti\/config\.data found with 2 different checksums.*verifying again in 0\.001 s/);
  });

  it('a difference that stays fails the phase, naming it', async () => {
    const c = contextAnswering(COPIES_DIFFER, COPIES_DIFFER);
    await assert.rejects(verifyClean(c.ctx, 'a1', 'the target alpha', 1), /gnt-cluster verify on the target alpha failed \(1 error\(s\), 0 failed job\(s\)\): ECLUSTERFILECHECK None: File/);
    assert.equal(c.calls(), 2, 'verified twice, no more');
  });

  it('any other error, alone or beside it, fails at once without a second verify', async () => {
    for (const reply of [NODE_DOWN, { stdout: COPIES_DIFFER.stdout + NODE_DOWN.stdout, code: 1 }]) {
      const c = contextAnswering(reply, CLEAN);
      await assert.rejects(verifyClean(c.ctx, 'a1', 'the target alpha', 1), /ENODERPC a2: unable to reach node/);
      assert.equal(c.calls(), 1);
    }
  });

  it('a clean verify runs once', async () => {
    const c = contextAnswering(CLEAN);
    await verifyClean(c.ctx, 'a1', 'the target alpha', 1);
    assert.equal(c.calls(), 1);
  });
});
