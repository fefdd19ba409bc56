/**
 * Where a finding belongs in a canonically printed config: the line of the first object it names
 * ("kind name (uuid)" -> the line of "uuid": {, or of "name": "name", or the one-line object
 * holding it; "a.b" -> the line of key b inside a), else the first line.
 * No vscode import: plain text in, 0-based line out.
 */
import type { Finding } from '../core/config/types';

export function findingLine(lines: readonly string[], finding: Finding): number {
  for (const object of finding.objects ?? []) {
    if (/^[a-z_]+(\.[a-z0-9_]+)+$/.test(object)) {
      const at = jsonPathLine(lines, object.split('.'));
      if (at >= 0) return at;
      continue;
    }
    const uuid = /\(([^()\s]+)\)\s*$/.exec(object)?.[1];
    if (uuid) {
      const key = `${JSON.stringify(uuid)}: {`;
      const at = lines.findIndex((l) => l.trimStart().startsWith(key));
      if (at >= 0) return at;
    }
    const name = /^[a-z-]+ (\S+)/i.exec(object)?.[1];
    if (name && name !== uuid) {
      const key = `"name": ${JSON.stringify(name)}`;
      const at = lines.findIndex((l) => l.trimStart().startsWith(key));
      if (at >= 0) return at;
      // printed one object per line (a big config): the object's line holds it in compact form
      const compact = `"name":${JSON.stringify(name)}`;
      const inLine = lines.findIndex((l) => l.includes(compact));
      if (inLine >= 0) return inLine;
    }
  }
  return 0;
}

/** A dotted JSON path ("cluster.mac_prefix"): each key searched for after the previous one's line. */
function jsonPathLine(lines: readonly string[], keys: readonly string[]): number {
  let at = -1;
  for (const key of keys) {
    const prefix = `${JSON.stringify(key)}:`;
    const next = lines.findIndex((l, i) => i > at && l.trimStart().startsWith(prefix));
    if (next < 0) return -1;
    at = next;
  }
  return at;
}
