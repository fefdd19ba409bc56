/**
 * Authentication attempts for one hop, in OpenSSH's order: the ssh-agent, then identity files.
 * Encrypted identity files are unlocked with a passphrase asked through the Prompter; the passphrase
 * and the key body stay in memory only.
 */
import { promises as fs } from 'node:fs';
import { utils as ssh2Utils, AgentAuthMethod, AuthHandlerMiddleware, ParsedKey, PublicKeyAuthMethod } from 'ssh2';
import { Prompter } from '../operator/prompter';
import { defaultIdentityFiles, HostEndpoint } from './ssh-config';

export interface AuthOptions {
  /** ssh-agent socket (SSH_AUTH_SOCK); undefined disables the agent. */
  readonly agentSocket?: string;
  readonly homeDir: string;
  readonly prompter: Prompter;
  /** How often a wrong passphrase may be retried per key. */
  readonly passphraseAttempts?: number;
  /** Keys given by the operator (like `ssh -i`): tried before the ssh config's IdentityFile entries. */
  readonly extraIdentityFiles?: readonly string[];
}

type KeyAuth = AgentAuthMethod | PublicKeyAuthMethod;
type Attempt = () => Promise<KeyAuth | undefined>;

async function readIdentity(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isEncryptedKeyError(err: Error): boolean {
  return /encrypted|passphrase|bad decrypt|integrity check/i.test(err.message);
}

async function loadIdentity(file: string, options: AuthOptions): Promise<ParsedKey | undefined> {
  const data = await readIdentity(file);
  if (!data) return undefined;
  let parsed = ssh2Utils.parseKey(data);
  const attempts = options.passphraseAttempts ?? 3;
  for (let attempt = 1; parsed instanceof Error && isEncryptedKeyError(parsed) && attempt <= attempts; attempt++) {
    const passphrase = await options.prompter.askPassphrase(file, attempt);
    if (passphrase === undefined) return undefined;
    parsed = ssh2Utils.parseKey(data, passphrase);
  }
  if (parsed instanceof Error) return undefined; // unusable key: skip it like OpenSSH does
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key && key.isPrivateKey() ? key : undefined;
}

/** Builds the ssh2 authHandler for an endpoint; records which methods were tried for error messages. */
export function makeAuthHandler(endpoint: HostEndpoint, options: AuthOptions, tried: string[]) {
  const extra = options.extraIdentityFiles ?? [];
  // As OpenSSH: the default files are tried only when neither -i nor IdentityFile names a key.
  const named = [...extra, ...endpoint.identityFiles.filter((f) => !extra.includes(f))];
  const files = named.length > 0 ? named : defaultIdentityFiles(options.homeDir);
  const attempts: Attempt[] = [];
  if (options.agentSocket && !endpoint.identitiesOnly) {
    attempts.push(async () => {
      tried.push('agent');
      return { type: 'agent', username: endpoint.user, agent: options.agentSocket! };
    });
  }
  for (const file of files) {
    attempts.push(async () => {
      const key = await loadIdentity(file, options);
      if (!key) return undefined;
      tried.push(`publickey ${file}`);
      return { type: 'publickey', username: endpoint.user, key };
    });
  }
  let next = 0;
  // Both the agent and identity files use the server's "publickey" method.
  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, callback) => {
    const run = async (): Promise<KeyAuth | false> => {
      if (methodsLeft && !methodsLeft.includes('publickey')) return false;
      while (next < attempts.length) {
        const method = await attempts[next++]();
        if (method) return method;
      }
      return false;
    };
    // ssh2 takes `false` as "no more methods" (its typings omit it).
    const proceed = callback as unknown as (m: KeyAuth | false) => void;
    run().then(proceed, () => proceed(false));
  };
  return handler;
}
