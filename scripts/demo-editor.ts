// The editor demo (scripts/demo.sh runs it once the system packages, the VS Code server and the .vsix
// are in place): the lab's 3 clusters in their pre-merge state, code-server with the packaged extension
// and settings pointing at the lab, on 127.0.0.1:$GCM_DEMO_PORT behind a random password.
// Ctrl-C (SIGINT), SIGTERM or SIGHUP: the server stops, the lab goes down, the temp dir is removed.
// GCM_LAB_MANAGED=1 (the test suite owns the lab): the lab is reset to its pre-merge state instead of
// taken down, so the suites after the demo find it up.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { labDown, labInfo, labReset, labUnavailableReason, labUp } from '../test/lab/lab';
import { startCodeServer } from '../test/vscode/harness/code-server';
import { vsixFile } from '../test/vscode/harness/paths';
import { createScratchRun } from '../test/vscode/harness/scratch';
import { formatBanner } from './demo-banner';
import { DEMO_WORKBENCH_SETTINGS, labUserSettings } from './demo-settings';

const DEFAULT_PORT = 8739;

type Cleanup = { what: string; run: () => Promise<void> | void };

function say(message: string): void {
  console.log(`demo: ${message}`);
}

function demoPort(): number {
  const text = process.env.GCM_DEMO_PORT ?? String(DEFAULT_PORT);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1024 || port > 65535) {
    throw new Error(`GCM_DEMO_PORT must be a port number from 1024 to 65535, not "${text}"`);
  }
  return port;
}

/** Refuses early, before the lab is touched, when something already listens on the port. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`127.0.0.1:${port} is in use (another demo?): stop it or set GCM_DEMO_PORT`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Runs the cleanups newest first, once, however many signals arrive; resolves to true when all succeeded. */
function cleanupRunner(cleanups: Cleanup[]): () => Promise<boolean> {
  let running: Promise<boolean> | undefined;
  return () => {
    running ??= (async () => {
      let ok = true;
      for (const cleanup of [...cleanups].reverse()) {
        say(`${cleanup.what} ...`);
        try {
          await cleanup.run();
        } catch (error) {
          ok = false;
          console.error(`demo: ${cleanup.what} failed: ${(error as Error).message}`);
        }
      }
      return ok;
    })();
    return running;
  };
}

async function main(): Promise<void> {
  const cleanups: Cleanup[] = [];
  const cleanUp = cleanupRunner(cleanups);
  const stop = (signal: NodeJS.Signals): void => {
    say(`${signal}: stopping (wait for the clean-up; it takes up to ~20 s)`);
    void cleanUp().then((ok) => {
      say(ok ? 'stopped; everything is cleaned up' : 'stopped, but some clean-up failed (see above)');
      // 128 + signal number, as a shell reports a command a signal ended; 1 when the clean-up failed
      process.exit(ok ? 128 + os.constants.signals[signal] : 1);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // A terminal's Ctrl-C reaches npm and us both, and people press it twice: one clean-up only.
    process.on(signal, () => stop(signal));
  }

  try {
    const unavailable = labUnavailableReason();
    if (unavailable) throw new Error(unavailable);
    const port = demoPort();
    await assertPortFree(port);
    const labManaged = (process.env.GCM_LAB_MANAGED ?? '') !== '';

    // Cleaned up newest first: the server, then the lab, then this folder (the server writes into it).
    const run = createScratchRun('demo');
    cleanups.push({ what: `removing ${run.root}`, run: () => run.remove() });

    say('bringing the lab up (the first time builds it: ~1.5 min; then ~10 s)');
    cleanups.push(labManaged
      ? { what: 'resetting the lab to its pre-merge state (GCM_LAB_MANAGED: it stays up)', run: async () => void (await labReset()) }
      : { what: 'taking the lab down', run: () => labDown() });
    await labUp();
    say('resetting the lab to its pre-merge state (~15 s)');
    await labReset();
    const lab = labInfo();

    const settingsFile = path.join(run.userDataDir, 'User', 'settings.json');
    const base = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(settingsFile, JSON.stringify(labUserSettings(lab, { ...base, ...DEMO_WORKBENCH_SETTINGS }), null, 2) + '\n');
    const password = randomBytes(18).toString('base64url');
    fs.writeFileSync(path.join(run.root, 'password'), password + '\n', { mode: 0o600 });

    say(`installing ${path.relative(process.cwd(), vsixFile)} and starting code-server on 127.0.0.1:${port}`);
    const server = await startCodeServer({ run, vsix: vsixFile, port, auth: { kind: 'password', password } });
    cleanups.push({ what: 'stopping code-server', run: () => server.stop() });

    const target = lab.clusters.find((c) => c.name === lab.targetCluster)?.shortName ?? lab.targetCluster;
    const mergees = lab.clusters.filter((c) => lab.mergeeClusters.includes(c.name)).map((c) => c.shortName);
    const teardown = `stops code-server, ${labManaged ? 'resets the lab (GCM_LAB_MANAGED)' : 'takes the lab down'} and removes the temp dir`;
    say(`server log: ${server.logFile}`);
    console.log(formatBanner({ url: server.url, password, tempDir: run.root }, target, mergees, teardown));
  } catch (error) {
    console.error(`demo: ${(error as Error).message}`);
    const ok = await cleanUp();
    process.exit(ok ? 1 : 2);
  }
  // Runs until a signal: the server and the signal handlers keep the event loop alive.
}

void main();
