/** Deterministic MAC generation for B.5 (--regenerate-macs): seeded, so a merge is reproducible. */
import type { SeededRandom } from './seeded-random';

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
