/**
 * IP address helpers: IPv4 CIDR arithmetic for network reservation bit strings (spec 2.7,
 * I-29) and IPv6 text normalisation so that equal addresses compare equal (spec 5.6).
 */

/** Parses dotted-quad IPv4 into an unsigned 32-bit number, or undefined when invalid. */
export function parseIpv4(text: string): number | undefined {
  // A character loop: this runs for every NIC of every config, split+regex allocated per octet.
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return undefined;
      octet = octet * 10 + (c - 0x30);
    } else if (c === 0x2e && digits > 0 && dots < 3) {
      if (octet > 255) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return undefined;
  return value * 256 + octet;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export interface Ipv4Cidr {
  /** Network base address as an unsigned number (host bits cleared). */
  base: number;
  prefix: number;
  /** Number of addresses, 2^(32-prefix). */
  size: number;
}

/** Parses "a.b.c.d/n". Host bits must be zero, as Ganeti (ipaddress.ip_network) requires. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const base = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (base === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { base, prefix, size };
}

/** Number of addresses of an IPv4 CIDR (length of its reservation strings), or undefined. */
export function ipv4AddressCount(cidr: string): number | undefined {
  return parseIpv4Cidr(cidr)?.size;
}

/** Index of `ip` inside `cidr` (its bit in the reservation strings), or undefined if outside. */
export function ipv4IndexInNetwork(cidr: string | Ipv4Cidr, ip: string): number | undefined {
  const net = typeof cidr === 'string' ? parseIpv4Cidr(cidr) : cidr;
  const addr = parseIpv4(ip);
  if (!net || addr === undefined) return undefined;
  const index = addr - net.base;
  return index >= 0 && index < net.size ? index : undefined;
}

/** Address at `index` inside the network. */
export function ipv4AtIndex(cidr: Ipv4Cidr, index: number): string {
  return formatIpv4(cidr.base + index);
}

/** Whether two IPv4 CIDRs share at least one address. */
export function ipv4CidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** Expands an IPv6 address into 8 numeric groups, or undefined when invalid. */
function ipv6Groups(text: string): number[] | undefined {
  let head = text.toLowerCase();
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const lastColon = head.lastIndexOf(':');
  if (head.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(head.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    head = `${head.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if (!left || !right) return undefined;
  if (halves.length === 1) {
    if (left.length !== 8) return undefined;
    return left;
  }
  const missing = 8 - left.length - right.length;
  if (missing < 1) return undefined;
  groups.push(...left, ...new Array<number>(missing).fill(0), ...right);
  return groups;
}

/** RFC 5952 text form (lower case, longest zero run compressed), or undefined when invalid. */
export function normalizeIpv6(text: string): string | undefined {
  const groups = ipv6Groups(text);
  if (!groups) return undefined;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical form for comparing host/NIC IPs: IPv6 normalised, anything else unchanged. */
export function normalizeIp(text: string): string {
  return text.includes(':') ? (normalizeIpv6(text) ?? text) : text;
}
