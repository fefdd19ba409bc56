/** Deterministic MAC generation for B.5 (--regenerate-macs): seeded, so a merge is reproducible. */

/** mulberry32: tiny seeded PRNG; quality is ample for picking three octets. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  nextByte(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

/** A MAC "<prefix>:xx:xx:xx" not in `taken` (lower-cased keys); the caller adds it to `taken`. */
export function generateMac(prefix: string, random: SeededRandom, taken: (mac: string) => boolean): string | null {
  // 2^24 candidates per prefix; give up long before that becomes a loop worth worrying about.
  for (let attempt = 0; attempt < 100_000; attempt++) {
    const mac = `${prefix.toLowerCase()}:${hex(random.nextByte())}:${hex(random.nextByte())}:${hex(random.nextByte())}`;
    if (!taken(mac)) return mac;
  }
  return null;
}
