import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { userSettingsFile } from './paths';

/** One test run's private folders, so runs never share state with each other or with a person's VS Code. */
export interface ScratchRun {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  serverDataDir: string;
  workspace: string;
  browserProfile: string;
  /** Environment for the server and the browser: XDG_* and TMPDIR point inside root. */
  env: NodeJS.ProcessEnv;
  /** Deletes root; also happens on process exit (a failed or interrupted run) unless VSCODE_TEST_KEEP_RUN=1. */
  remove(): void;
}

export function createScratchRun(kind: string): ScratchRun {
  // Under the system temp dir, not the clone: VS Code's IPC socket paths must stay short.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `gcm-vscode-${kind}-`));
  const dir = (name: string): string => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const userDataDir = dir('user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.copyFileSync(userSettingsFile, path.join(userDataDir, 'User', 'settings.json'));
  const run: ScratchRun = {
    root,
    userDataDir,
    extensionsDir: dir('extensions'),
    serverDataDir: dir('server-data'),
    workspace: dir('workspace'),
    browserProfile: dir('browser-profile'),
    env: {
      ...process.env,
      TMPDIR: dir('tmp'),
      XDG_CONFIG_HOME: dir('xdg/config'),
      XDG_DATA_HOME: dir('xdg/data'),
      XDG_CACHE_HOME: dir('xdg/cache'),
      XDG_RUNTIME_DIR: dir('xdg/runtime'),
    },
    remove: () => {
      process.removeListener('exit', removeOnExit);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  const removeOnExit = (): void => {
    if (process.env.VSCODE_TEST_KEEP_RUN !== '1') {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
  process.once('exit', removeOnExit);
  fs.chmodSync(path.join(root, 'xdg/runtime'), 0o700);
  return run;
}

/** A port nobody listens on right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}
