/** Ganeti config.data version numbers (spec 1.2): major*1_000_000 + minor*10_000 + revision. */

/** The only versions this engine reads; older files must be upgraded with cfgupgrade first (spec 1.4). */
export const SUPPORTED_VERSIONS: readonly number[] = [2160000, 3000000, 3010000];

export interface DecodedVersion {
  major: number;
  minor: number;
  revision: number;
}

export function decodeVersion(v: number): DecodedVersion {
  return {
    major: Math.floor(v / 1_000_000),
    minor: Math.floor((v % 1_000_000) / 10_000),
    revision: v % 10_000,
  };
}

/** "3.0" for 3000000; the revision is shown only when non-zero ("3.0.2"). */
export function formatVersion(v: number): string {
  const { major, minor, revision } = decodeVersion(v);
  return revision === 0 ? `${major}.${minor}` : `${major}.${minor}.${revision}`;
}

export function isSupportedVersion(v: number): boolean {
  return SUPPORTED_VERSIONS.includes(v);
}
