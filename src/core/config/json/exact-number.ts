/**
 * Which parsed numbers are exactly what the text said. JSON.parse maps every number to a double:
 * beyond ±(2^53 - 1) integers are rounded (12345678901234567890123 becomes 1.2345678901234568e+22)
 * and an exponent too large becomes Infinity, which JSON.stringify writes as null. Ganeti's
 * readers keep integers exact, so such a value would be written back changed (spec 1.1: they
 * never occur in practice, and values the merge does not change must be preserved).
 */
export function isBeyondExactRange(n: number): boolean {
  return n > Number.MAX_SAFE_INTEGER || n < -Number.MAX_SAFE_INTEGER;
}
