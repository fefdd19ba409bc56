/**
 * Opens one authenticated ssh2 connection to a host, through its ProxyJump chain (each hop reached
 * with `forwardOut` over the previous one, each hop's host key checked). Errors name the hop and cause.
 */
import { Client, ConnectConfig } from 'ssh2';
import { Duplex } from 'node:stream';
import { AuthOptions, makeAuthHandler } from './auth';
import { describeCause, RemoteError } from './errors';
import { preferredHostKeyAlgorithms, verifyHostKey } from './host-key-policy';
import { KnownHostsFile } from './known-hosts';
import { PausableDeadline, pausingPrompter } from './connect-deadline';
import { endpointAddress, HostEndpoint, ResolvedHost } from './ssh-config';

export interface ConnectOptions extends AuthOptions {
  readonly knownHosts: KnownHostsFile;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** Cancels connection attempts in progress (e.g. when the pool is closed). */
  readonly signal?: AbortSignal;
}

/** Errors name the host as the user wrote it, and the address actually dialled. */
function where(endpoint: HostEndpoint) {
  return { host: endpoint.alias, address: endpointAddress(endpoint) };
}

async function connectHop(endpoint: HostEndpoint, options: ConnectOptions, sock?: Duplex): Promise<Client> {
  const client = new Client();
  const triedAuth: string[] = [];
  let hostKeyFailure: unknown;
  let deadline: PausableDeadline | undefined;
  const prompter = pausingPrompter(options.prompter, () => deadline!);
  const config: ConnectConfig = {
    host: endpoint.hostName,
    port: endpoint.port,
    username: endpoint.user,
    sock: sock as ConnectConfig['sock'],
    readyTimeout: 0, // replaced by the pausable deadline below
    keepaliveInterval: options.keepaliveIntervalMs,
    keepaliveCountMax: options.keepaliveCountMax,
    algorithms: { serverHostKey: (await preferredHostKeyAlgorithms(options.knownHosts, endpoint)) as never },
    // ssh2 accepts every key when hostVerifier is unset: it is always set here.
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      verifyHostKey(options.knownHosts, prompter, endpoint, key).then(
        () => verify(true),
        (err) => {
          hostKeyFailure = err;
          verify(false);
        },
      );
    },
    authHandler: makeAuthHandler(endpoint, { ...options, prompter }, triedAuth),
  };
  return new Promise<Client>((resolve, reject) => {
    deadline = new PausableDeadline(options.connectTimeoutMs, () => {
      onError(Object.assign(new Error('connect timeout'), { level: 'client-timeout' }));
    });
    const onError = (err: Error & { level?: string }) => {
      deadline?.stop();
      options.signal?.removeEventListener('abort', onAbort);
      client.removeListener('ready', onReady);
      client.removeListener('error', onError);
      client.on('error', () => undefined); // late errors of an abandoned attempt are not news
      client.destroy(); // (before any end(): ssh2 skips destroying a socket that is no longer writable)
      if (hostKeyFailure) return reject(hostKeyFailure);
      const { host, address } = where(endpoint);
      if (err.level === 'client-aborted') {
        return reject(new RemoteError('aborted', host, 'connection attempt cancelled', { address }));
      }
      if (err.level === 'client-authentication') {
        const tried = triedAuth.length > 0 ? triedAuth.join(', ') : 'no usable agent or identity file';
        return reject(new RemoteError('auth', host, `authentication as ${endpoint.user} failed (tried: ${tried})`, { cause: err, address }));
      }
      if (err.level === 'client-timeout') {
        return reject(new RemoteError('timeout', host, `connection timed out after ${options.connectTimeoutMs} ms`, { cause: err, address }));
      }
      reject(new RemoteError('connect', host, `cannot connect: ${describeCause(err)}`, { cause: err, address }));
    };
    const onAbort = () => onError(Object.assign(new Error('cancelled'), { level: 'client-aborted' }));
    const onReady = () => {
      deadline?.stop();
      options.signal?.removeEventListener('abort', onAbort);
      client.removeListener('error', onError);
      resolve(client);
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', onReady);
    client.once('error', onError);
    client.connect(config);
  });
}

function forward(client: Client, via: HostEndpoint, to: HostEndpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, to.hostName, to.port, (err, stream) => {
      if (err) {
        const { host, address } = where(to);
        reject(new RemoteError('connect', host, `jump host ${via.alias} cannot reach it: ${describeCause(err)}`, { cause: err, address }));
      }
      else resolve(stream);
    });
  });
}

export interface OpenConnection {
  /** The connection to the target host. */
  readonly client: Client;
  /** Every client opened, jump hosts first; all of them must be closed together. */
  readonly chain: readonly Client[];
}

export async function openConnection(host: ResolvedHost, options: ConnectOptions): Promise<OpenConnection> {
  const hops: HostEndpoint[] = [...host.proxyJump, host];
  const chain: Client[] = [];
  try {
    let sock: Duplex | undefined;
    for (let i = 0; i < hops.length; i++) {
      if (i > 0) sock = await forward(chain[i - 1], hops[i - 1], hops[i]);
      chain.push(await connectHop(hops[i], options, sock));
    }
  } catch (err) {
    for (const c of chain.reverse()) c.end();
    throw err;
  }
  return { client: chain[chain.length - 1], chain };
}
