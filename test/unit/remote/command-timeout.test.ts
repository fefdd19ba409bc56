/** The per-command timeout: one bound (setting / --command-timeout) over every command's own timeout. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../../src/cli/args';
import { planCommand } from '../../../src/cli/merge-commands';
import { commandTimeoutMs } from '../../../src/core/remote/runner';
import { COMMAND_TIMEOUT_SECONDS } from '../../../src/core/session/ssh-session';

describe('per-command timeout', () => {
  const plain = { argv: ['true'], parse: () => undefined };
  const slow = { ...plain, timeoutMs: 30 * 60_000 };
  const quick = { ...plain, timeoutMs: 5_000 };

  it('bounds every command: none of its own, a longer one, a caller\'s; a shorter own timeout stays', () => {
    assert.equal(commandTimeoutMs(plain, {}, 60_000), 60_000);
    assert.equal(commandTimeoutMs(slow, {}, 60_000), 60_000);
    assert.equal(commandTimeoutMs(plain, { timeoutMs: 120_000 }, 60_000), 60_000);
    assert.equal(commandTimeoutMs(quick, {}, 60_000), 5_000);
    assert.equal(commandTimeoutMs(slow, {}, undefined), 30 * 60_000);
  });

  it('--command-timeout outside its range is bad usage (exit 2) and creates no journal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-timeout-'));
    try {
      const journal = path.join(dir, 'j.json');
      for (const bad of ['0', '1.5', 'ten', '', String(COMMAND_TIMEOUT_SECONDS.max + 1)]) {
        await assert.rejects(planCommand.run(['--target', 'a', '--mergee', 'b', '--journal', journal, '--command-timeout', bad], { stdout: () => undefined, stderr: () => undefined }),
          (e: Error) => e instanceof UsageError && e.message === `--command-timeout must be an integer from 1 to ${COMMAND_TIMEOUT_SECONDS.max}, got ${JSON.stringify(bad)}`);
      }
      assert.equal(fs.existsSync(journal), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
