/**
 * Test helper: runs typed commands on THIS machine through `sh -c <shellQuote(argv)>` (exactly the
 * string an sshd would hand to the login shell), so the shell scripts of file commands are tested
 * for real without an ssh server.
 */
import { spawn } from 'node:child_process';
import { RemoteCommand } from '../../../src/core/remote/command';
import { shellQuote } from '../../../src/core/remote/quote';
import { CommandRunner, interpretResult, RunOptions } from '../../../src/core/remote/runner';
import { underRunLock } from '../../../src/core/remote/run-lock';

export class LocalShellRunner implements CommandRunner {
  async run<T>(host: string, command: RemoteCommand<T>, options: RunOptions = {}): Promise<T> {
    const started = Date.now();
    const argv = options.runLock ? underRunLock(options.runLock, command.argv) : command.argv; // as host-connection does
    const child = spawn('sh', ['-c', shellQuote(argv)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => (command.stdoutTo ? command.stdoutTo.write(c) : out.push(c)));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // A command that exits without reading its stdin makes this write fail with EPIPE: not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.stdin ?? '');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    return interpretResult(host, command, {
      code, stdout: Buffer.concat(out), stderr: Buffer.concat(err), durationMs: Date.now() - started,
    });
  }
}
