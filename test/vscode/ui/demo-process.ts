// `npm run demo` (package.json: bash scripts/demo.sh) started the way a terminal does it: its own process
// group, so a signal sent to the group is what Ctrl-C sends. Started without npm in between, whose own exit
// after Ctrl-C is always "killed by SIGINT", so the demo's exit status can be checked. Everything it
// prints is kept (and written to a log file) for the asserts.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { parseBanner, type DemoBanner } from '../../../scripts/demo-banner';
import { repoRoot } from '../harness/paths';

export interface DemoProcess {
  output(): string;
  waitForBanner(timeoutMs: number): Promise<DemoBanner>;
  /** Sends the signal to the whole group, as a terminal's Ctrl-C does, and waits for the exit code. */
  interrupt(signal: NodeJS.Signals, timeoutMs: number): Promise<number>;
  /** After a test failed half-way: Ctrl-C if it still runs (its own clean-up), SIGKILL if that hangs. */
  stop(): Promise<void>;
}

export function startDemo(env: NodeJS.ProcessEnv, logFile: string): DemoProcess {
  const child: ChildProcess = spawn('bash', ['scripts/demo.sh'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    fs.appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exitCode: number | undefined;
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => {
    // a shell's convention: 128 + n when signal n ended it
    exitCode = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
    resolve(exitCode);
  }));
  const group = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // An interrupted test run (see exitOnSignals) still lets the demo clean up after itself.
  const onExit = (): void => group('SIGINT');
  process.once('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));
  return {
    output: () => text,
    async waitForBanner(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const banner = parseBanner(text);
        if (banner) return banner;
        if (exitCode !== undefined) throw new Error(`the demo exited (${exitCode}) before it was ready:\n${text.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`the demo was not ready within ${timeoutMs / 1000} s:\n${text.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async interrupt(signal, timeoutMs) {
      group(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the demo did not exit within ${timeoutMs / 1000} s of ${signal}:\n${text.slice(-3000)}`)), timeoutMs);
      });
      try {
        return await Promise.race([exited, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      if (exitCode !== undefined) return;
      group('SIGINT');
      const timer = setTimeout(() => group('SIGKILL'), 3 * 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
