/**
 * OpenSSH known_hosts: parsing, checking a presented host key, and recording an accepted one.
 * Supports plain names, comma lists, `[host]:port`, hashed `|1|salt|hmac` entries, wildcards,
 * negations and the @revoked marker (@cert-authority lines are kept but never match a plain key).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface KnownHostEntry {
  readonly marker?: '@revoked' | '@cert-authority';
  readonly patterns: readonly string[];
  readonly keyType: string;
  readonly keyBase64: string;
  readonly line: number;
}

export type HostKeyCheck =
  | { readonly status: 'match' }
  | { readonly status: 'unknown' }
  | { readonly status: 'changed'; readonly knownFingerprints: readonly string[] }
  | { readonly status: 'revoked' };

/** OpenSSH's SHA256 fingerprint: "SHA256:" + unpadded base64 of the key blob's digest. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type name stored at the start of every SSH public key blob (a uint32-length string). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('host key blob is too short');
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) throw new Error('host key blob has no valid type');
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** The name known_hosts uses for a host: plain for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    else if (fields[0].startsWith('@')) return; // unknown marker: ignore the line, like OpenSSH
    if (fields.length < 3) return; // malformed: OpenSSH skips it too
    const [hosts, keyType, keyBase64] = fields;
    entries.push({ marker, patterns: hosts.split(','), keyType, keyBase64, line: index + 1 });
  });
  return entries;
}

function hashedPatternMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('|'); // '', '1', salt, hash
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2], 'base64');
  const expected = Buffer.from(parts[3], 'base64');
  const actual = createHmac('sha1', salt).update(name).digest();
  return expected.length === actual.length && actual.equals(expected);
}

function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|')) return hashedPatternMatches(pattern, name);
  if (pattern.includes('*') || pattern.includes('?')) return wildcardToRegExp(pattern).test(name);
  return pattern.toLowerCase() === name.toLowerCase();
}

/** OpenSSH semantics: any matching negated pattern excludes the entry, else any positive match includes it. */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  let matched = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) {
      matched = true;
    }
  }
  return matched;
}

/** Key types already recorded for a host, so the connection can prefer them (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [...new Set(entries.filter((e) => !e.marker && entryMatchesHost(e, name)).map((e) => e.keyType))];
}

/**
 * Checks a presented key. A host with recorded keys that match none of them is "changed": we never
 * fall back to asking, because that is exactly what an attacker in the middle would want.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  const name = knownHostsName(host, port);
  const presented = keyBlob.toString('base64');
  const forHost = entries.filter((e) => entryMatchesHost(e, name));
  if (forHost.some((e) => e.marker === '@revoked' && e.keyBase64 === presented)) return { status: 'revoked' };
  const plain = forHost.filter((e) => !e.marker);
  if (plain.some((e) => e.keyBase64 === presented)) return { status: 'match' };
  if (plain.length === 0) return { status: 'unknown' };
  const type = keyTypeOfBlob(keyBlob);
  const sameType = plain.filter((e) => e.keyType === type);
  const shown = (sameType.length > 0 ? sameType : plain).map((e) => fingerprintSha256(Buffer.from(e.keyBase64, 'base64')));
  return { status: 'changed', knownFingerprints: [...new Set(shown)] };
}

/** One known_hosts line for a key; hashed like OpenSSH's HashKnownHosts when asked. */
export function formatKnownHostLine(host: string, port: number, keyBlob: Buffer, hashed: boolean): string {
  const name = knownHostsName(host, port);
  let pattern = name;
  if (hashed) {
    const salt = randomBytes(20);
    pattern = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${pattern} ${keyTypeOfBlob(keyBlob)} ${keyBlob.toString('base64')}`;
}

/** A known_hosts file on disk: read fresh for every check so external edits are honoured. */
export class KnownHostsFile {
  /**
   * alsoTrustedPaths: read-only files whose keys are also accepted for a host (never "changed", never
   * appended to), e.g. the keys Ganeti gives nodes when it re-adds them (see phases/readd-nodes.ts).
   */
  constructor(
    readonly filePath: string,
    private readonly hashNewEntries = false,
    private readonly alsoTrustedPaths: readonly string[] = [],
  ) {}

  async readAlsoTrusted(): Promise<KnownHostEntry[]> {
    const entries: KnownHostEntry[] = [];
    for (const file of this.alsoTrustedPaths) {
      try {
        entries.push(...parseKnownHosts(await fs.readFile(file, 'utf8')));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return entries;
  }

  async read(): Promise<KnownHostEntry[]> {
    try {
      return parseKnownHosts(await fs.readFile(this.filePath, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async append(host: string, port: number, keyBlob: Buffer): Promise<void> {
    const line = formatKnownHostLine(host, port, keyBlob, this.hashNewEntries);
    await fs.mkdir(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    let prefix = '';
    try {
      const current = await fs.readFile(this.filePath, 'utf8');
      if (current.length > 0 && !current.endsWith('\n')) prefix = '\n';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await fs.appendFile(this.filePath, `${prefix}${line}\n`, { mode: 0o600 });
  }
}
