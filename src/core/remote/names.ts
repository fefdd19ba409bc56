/**
 * Host and cluster names are validated before any use (ssh config lookup, command argv, file names),
 * so a hostile name from a config file or a user input cannot be more than a name.
 */
import { isIP } from 'node:net';
import { hasControlCharacter, quoted } from '../safe-text';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Exactly the names objectNameProblem accepts (up to the length): LABEL labels joined by single dots, no trailing dot. */
const MERGEABLE_NAME = new RegExp(`^${LABEL.source.slice(1, -1)}(?:\\.${LABEL.source.slice(1, -1)})*$`);

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 253 chars. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed.length > 0 && trimmed.split('.').every((label) => LABEL.test(label));
}

/** A host to connect to: a DNS name or an IP literal. */
export function isHostName(name: string): boolean {
  return isDnsName(name) || isIP(name) !== 0;
}

export function describeBadName(name: string): string {
  return quoted(name.length > 80 ? `${name.slice(0, 80)}...` : name);
}

export function assertHostName(name: string, what = 'host name'): string {
  if (typeof name !== 'string' || !isHostName(name)) {
    throw new Error(`invalid ${what} ${describeBadName(String(name))}: expected a DNS name or an IP address`);
  }
  return name;
}

/** Ganeti cluster, node, instance and group names all follow DNS rules. */
export function assertDnsName(name: string, what: string): string {
  if (typeof name !== 'string' || !isDnsName(name)) {
    throw new Error(`invalid ${what} ${describeBadName(String(name))}: expected a DNS name (letters, digits, '-', '.')`);
  }
  return name;
}

/**
 * Ganeti's own form of a host name (lib/netutils.py, Hostname.GetNormalizedName): lower case,
 * trailing dots dropped. Two names with one form are one host to Ganeti.
 */
export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, '');
}

/**
 * Why a node or instance name cannot be merged, or undefined. Ganeti accepts `[a-z0-9._-]{1,255}`
 * without an empty label and stores the normalised form; the merge's own remote commands take
 * names as DNS names (assertDnsName). A name must pass both, already normalised (no trailing
 * dot), so that no phase after the point of no return can trip over it.
 */
export function objectNameProblem(name: string): string | undefined {
  // Nearly every name is fine: one regex answers that (a merge asks for 60,000 names and the
  // steps below split each into labels); only a name it refuses needs the reason.
  if (name.length <= 253 && MERGEABLE_NAME.test(name)) return undefined;
  if (name.length === 0) return 'is empty';
  if (hasControlCharacter(name)) return 'contains a control character';
  if (/\s/.test(name)) return 'contains whitespace';
  if (name.length > 253) return `is ${name.length} characters long (at most 253)`;
  if (name.endsWith('.')) return 'ends with a dot (Ganeti stores the name without it: the same host as the name without the dot)';
  if (!isDnsName(name)) return "is not a host name (letters, digits, inner '-', labels separated by single dots)";
  return undefined;
}
