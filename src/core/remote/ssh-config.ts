/**
 * ~/.ssh/config resolution for the options the merge needs: HostName, User, Port, IdentityFile,
 * IdentitiesOnly and ProxyJump. Parsing and Host/Match evaluation come from the `ssh-config` package.
 * (`Include` is not followed by that package; say so rather than silently guessing.)
 */
import SSHConfig from 'ssh-config';
import * as path from 'node:path';
import { expandHomePath } from './home-path';
import { assertHostName } from './names';

export interface HostEndpoint {
  /** The name the user gave (the ssh config alias). */
  readonly alias: string;
  /** The address actually connected to (HostName, or the alias). */
  readonly hostName: string;
  readonly user: string;
  readonly port: number;
  /** Explicit IdentityFile entries, tokens and ~ expanded; empty means "use the defaults". */
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
}

/** "address:port" of an endpoint, for messages next to its alias. */
export function endpointAddress(endpoint: HostEndpoint): string {
  return `${endpoint.hostName}:${endpoint.port}`;
}

export interface ResolvedHost extends HostEndpoint {
  /** Jump hosts in connection order (first is reached directly). */
  readonly proxyJump: readonly HostEndpoint[];
}

export interface SshConfigContext {
  /** The text of the ssh config file ('' when there is none). */
  readonly configText: string;
  readonly homeDir: string;
  readonly localUser: string;
  /** User to log in as when the config names none (the merge runs as root). */
  readonly defaultUser: string;
}

/** The identity files OpenSSH tries when the config names none (existing ones are used). */
export function defaultIdentityFiles(homeDir: string): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => path.join(homeDir, '.ssh', f));
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function parsePort(value: string | undefined, alias: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new Error(`ssh config for ${alias}: invalid Port ${JSON.stringify(value)}`);
  return port;
}

function expandTokens(file: string, ctx: SshConfigContext, hostName: string, user: string): string {
  const out = file.replace(/%(.)/g, (_m, token: string) => {
    switch (token) {
      case '%': return '%';
      case 'd': return ctx.homeDir;
      case 'u': return ctx.localUser;
      case 'r': return user;
      case 'h': return hostName;
      default: throw new Error(`ssh config: unsupported token %${token} in IdentityFile ${JSON.stringify(file)}`);
    }
  });
  const expanded = expandHomePath(out, ctx.homeDir);
  if ('error' in expanded) throw new Error(`ssh config: IdentityFile ${JSON.stringify(file)}: expected ${expanded.error}`);
  return expanded.path;
}

interface JumpSpec { readonly host: string; readonly user?: string; readonly port?: number }

/** ProxyJump: comma list of [user@]host[:port] or ssh://[user@]host[:port]; "none" means no jump. */
export function parseProxyJump(value: string | undefined): JumpSpec[] {
  if (value === undefined || value.trim().toLowerCase() === 'none' || value.trim() === '') return [];
  return value.split(',').map((raw) => {
    const spec = raw.trim().replace(/^ssh:\/\//, '');
    const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(spec);
    if (!m) throw new Error(`invalid ProxyJump entry ${JSON.stringify(raw)}`);
    const host = m[2].replace(/^\[|\]$/g, '');
    assertHostName(host, 'ProxyJump host');
    return { host, user: m[1], port: m[3] === undefined ? undefined : parsePort(m[3], host) };
  });
}

function resolveEndpoint(config: SSHConfig, alias: string, ctx: SshConfigContext, override: Partial<JumpSpec> = {}) {
  assertHostName(alias);
  const computed = config.compute(alias) as Record<string, string | string[] | undefined>;
  const hostName = assertHostName(first(computed.HostName)?.replace(/%h/g, alias) ?? alias, `HostName of ${alias}`);
  const user = override.user ?? first(computed.User) ?? ctx.defaultUser;
  const port = override.port ?? parsePort(first(computed.Port), alias) ?? 22;
  const identityFiles = all(computed.IdentityFile).map((f) => expandTokens(f, ctx, hostName, user));
  const identitiesOnly = (first(computed.IdentitiesOnly) ?? 'no').toLowerCase() === 'yes';
  const endpoint: HostEndpoint = { alias, hostName, user, port, identityFiles, identitiesOnly };
  return { endpoint, proxyJump: first(computed.ProxyJump) };
}

export function resolveHost(alias: string, ctx: SshConfigContext): ResolvedHost {
  const config = SSHConfig.parse(ctx.configText);
  const target = resolveEndpoint(config, alias, ctx);
  const proxyJump = parseProxyJump(target.proxyJump).map((jump) => resolveEndpoint(config, jump.host, ctx, jump).endpoint);
  return { ...target.endpoint, proxyJump };
}
