import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { codeServerEntry, node24 } from './paths';
import type { ScratchRun } from './scratch';
import { startServer, type ServerProcess } from './server-process';

/** How a browser proves it may use the server: nobody (tests on a private port) or a password. */
export type CodeServerAuth = { kind: 'none' } | { kind: 'password'; password: string };

export interface CodeServerOptions {
  run: ScratchRun;
  /** Installed into the run's extensions dir before the server starts. */
  vsix: string;
  /** Always bound to 127.0.0.1. */
  port: number;
  auth: CodeServerAuth;
  /** Where the server's output goes (default: code-server.log in the run's root). */
  logFile?: string;
}

export interface CodeServer extends ServerProcess {
  /** The workbench with the run's workspace folder open. */
  url: string;
}

/**
 * code-server (npm, with VS Code's server inside) as a person uses it: the packaged .vsix installed,
 * a fresh profile, nothing that phones home, listening on 127.0.0.1 only. Used by the UI tests and the demo.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { run } = options;
  for (const required of [codeServerEntry, options.vsix]) {
    if (!fs.existsSync(required)) {
      throw new Error(`${required} is missing: run scripts/install-vscode-server.sh and npm run package first`);
    }
  }
  const common = [
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir,
    // code-server reads (and would otherwise create) a config.yaml; keep it inside the run
    '--config', path.join(run.root, 'code-server.yaml'),
  ];
  await promisify(execFile)(node24, [codeServerEntry, ...common, '--install-extension', options.vsix], { env: run.env });
  // The password travels in the environment (code-server's own way), never on the command line `ps` shows.
  const env = options.auth.kind === 'password' ? { ...run.env, PASSWORD: options.auth.password } : run.env;
  const server = await startServer({
    script: codeServerEntry,
    args: [...common, '--auth', options.auth.kind, '--bind-addr', `127.0.0.1:${options.port}`, run.workspace],
    env,
    logFile: options.logFile ?? path.join(run.root, 'code-server.log'),
    // /healthz answers without logging in
    readyUrl: `http://127.0.0.1:${options.port}/healthz`,
  });
  return { ...server, url: `http://127.0.0.1:${options.port}/?folder=${encodeURIComponent(run.workspace)}` };
}
