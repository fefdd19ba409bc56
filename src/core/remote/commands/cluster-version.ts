/** `gnt-cluster --version`, e.g. "gnt-cluster (ganeti 3.0.2-3) 3.0.2". */
import { RemoteCommand, outputLines } from '../command';

export interface GanetiVersion {
  readonly major: number;
  readonly minor: number;
  readonly revision: number;
  /** "3.0.2" */
  readonly version: string;
  /** The packaging/VCS version in parentheses, e.g. "ganeti 3.0.2-3". */
  readonly build: string;
}

export function parseGanetiVersion(text: string): GanetiVersion {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.startsWith('gnt-cluster'));
  const m = line && /^gnt-cluster \((.*)\) (\d+)\.(\d+)\.(\d+)\S*$/.exec(line);
  if (!m) throw new Error(`no "gnt-cluster (...) X.Y.Z" line in ${JSON.stringify(text.slice(0, 200))}`);
  const [major, minor, revision] = [m[2], m[3], m[4]].map(Number);
  return { major, minor, revision, version: `${major}.${minor}.${revision}`, build: m[1] };
}

export function clusterVersion(): RemoteCommand<GanetiVersion> {
  return {
    argv: ['gnt-cluster', '--version'],
    timeoutMs: 60_000,
    parse: (r) => parseGanetiVersion(outputLines(r).join('\n')),
  };
}
