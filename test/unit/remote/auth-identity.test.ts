/** Which keys the auth handler offers, in which order, with and without an operator-given identity (ssh -i). */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeAuthHandler } from '../../../src/core/remote/auth';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import type { HostEndpoint } from '../../../src/core/remote/ssh-config';

function writeKey(file: string): void {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
}

/** Drives the handler like ssh2 does when every offer is refused; returns what was tried. */
async function offers(endpoint: HostEndpoint, home: string, extra?: string[], agent?: string): Promise<string[]> {
  const tried: string[] = [];
  const handler = makeAuthHandler(endpoint, { homeDir: home, prompter: new ScriptedPrompter(), extraIdentityFiles: extra, agentSocket: agent }, tried);
  for (let i = 0; i < 10; i++) {
    const method = await new Promise<unknown>((resolve) => handler(['publickey'], false, resolve as never));
    if (method === false) break;
  }
  return tried;
}

describe('remote/auth: operator identity file (--identity)', () => {
  let home: string;
  const endpoint = (identityFiles: string[]): HostEndpoint => ({ alias: 'n1', hostName: 'n1', user: 'root', port: 22, identityFiles, identitiesOnly: false });

  before(() => {
    home = mkdtempSync(path.join(tmpdir(), 'auth-identity-'));
    mkdirSync(path.join(home, '.ssh'));
    for (const f of ['.ssh/id_rsa', 'operator', 'configured']) writeKey(path.join(home, f));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('without it, the default files are offered when the ssh config names none', async () => {
    assert.deepEqual(await offers(endpoint([]), home), [`publickey ${path.join(home, '.ssh/id_rsa')}`]);
  });

  it('is offered first, before the ssh config IdentityFile, and after the agent', async () => {
    const operator = path.join(home, 'operator');
    const configured = path.join(home, 'configured');
    assert.deepEqual(await offers(endpoint([configured]), home, [operator], '/nonexistent/agent.sock'),
      ['agent', `publickey ${operator}`, `publickey ${configured}`]);
  });

  it('replaces the default files (as ssh -i does) and is offered once when the config names it too', async () => {
    const operator = path.join(home, 'operator');
    assert.deepEqual(await offers(endpoint([]), home, [operator]), [`publickey ${operator}`]);
    assert.deepEqual(await offers(endpoint([operator]), home, [operator]), [`publickey ${operator}`]);
  });
});
