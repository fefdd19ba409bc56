/** Deterministic randomness for generated test configs: same seed, same bytes. */
import { SeededRandom as CoreSeededRandom } from '../../../src/core/config/merge/seeded-random';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** FNV-1a hash of a string, used to derive per-name seeds and defaults. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The core's seeded PRNG, plus the identifiers a generated config needs. */
export class SeededRandom extends CoreSeededRandom {
  private hexBytes(count: number): string[] {
    const out: string[] = [];
    while (out.length < count) {
      const v = this.nextUint32();
      out.push(HEX[v & 255], HEX[(v >>> 8) & 255], HEX[(v >>> 16) & 255], HEX[v >>> 24]);
    }
    return out.slice(0, count);
  }

  /** A random (version 4) UUID in Ganeti's lower-case form. */
  uuid(): string {
    const b = this.hexBytes(16);
    b[6] = '4' + b[6][1];
    b[8] = HEX[(parseInt(b[8], 16) & 0x3f) | 0x80];
    return `${b[0]}${b[1]}${b[2]}${b[3]}-${b[4]}${b[5]}-${b[6]}${b[7]}-${b[8]}${b[9]}-${b.slice(10).join('')}`;
  }

  hex(bytes: number): string {
    return this.hexBytes(bytes).join('');
  }
}

export function hexByte(v: number): string {
  return HEX[v & 255];
}
