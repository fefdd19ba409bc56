/**
 * Host key verification for one hop: known_hosts first; an unknown key is shown to the human (SHA256
 * fingerprint) and recorded only when accepted; a changed or revoked key is refused outright.
 */
import { RemoteError } from './errors';
import { checkHostKey, fingerprintSha256, KnownHostsFile, keyTypeOfBlob, knownKeyTypes } from './known-hosts';
import { Prompter } from '../operator/prompter';
import { endpointAddress, HostEndpoint } from './ssh-config';

/** The host key algorithms ssh2 supports, in its default preference order. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

function algorithmsForKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

/** Prefer algorithms whose keys are already recorded for the host, so a known host is not "changed" by negotiation. */
export async function preferredHostKeyAlgorithms(knownHosts: KnownHostsFile, endpoint: HostEndpoint): Promise<string[]> {
  const known = knownKeyTypes(await knownHosts.read(), endpoint.hostName, endpoint.port);
  const preferred = known.flatMap(algorithmsForKeyType).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

/** Resolves when the key is trusted; rejects with a 'hostkey' RemoteError otherwise. */
export async function verifyHostKey(
  knownHosts: KnownHostsFile,
  prompter: Prompter,
  endpoint: HostEndpoint,
  keyBlob: Buffer,
): Promise<void> {
  const { hostName: host, port } = endpoint;
  const address = endpointAddress(endpoint);
  const fingerprint = fingerprintSha256(keyBlob);
  const keyType = keyTypeOfBlob(keyBlob);
  const alsoTrusted = await knownHosts.readAlsoTrusted();
  for (const name of new Set([endpoint.alias, host])) {
    if (alsoTrusted.length > 0 && checkHostKey(alsoTrusted, name, port, keyBlob).status === 'match') return;
  }
  const result = checkHostKey(await knownHosts.read(), host, port, keyBlob);
  switch (result.status) {
    case 'match':
      return;
    case 'revoked':
      throw new RemoteError('hostkey', endpoint.alias, `host key ${fingerprint} is marked @revoked in ${knownHosts.filePath}; refusing to connect`, { address });
    case 'changed':
      throw new RemoteError(
        'hostkey',
        endpoint.alias,
        `HOST KEY CHANGED: the host presented ${keyType} ${fingerprint} but ${knownHosts.filePath} records ` +
          `${result.knownFingerprints.join(', ')}. Someone may be intercepting the connection, or the host was reinstalled; ` +
          'refusing to connect. Verify the new key out of band and update known_hosts yourself.',
        { address },
      );
    case 'unknown': {
      const accepted = await prompter.askHostKey({ alias: endpoint.alias, host, port, keyType, fingerprint });
      if (!accepted) throw new RemoteError('hostkey', endpoint.alias, `host key ${keyType} ${fingerprint} is unknown and was not accepted`, { address });
      await knownHosts.append(host, port, keyBlob);
      return;
    }
  }
}
