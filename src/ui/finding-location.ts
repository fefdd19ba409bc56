/**
 * Where an object is in a canonically printed config (sorted keys, two-space indent: top-level
 * maps at depth 1, their objects at depth 2, an object's keys at depth 3; printed one object per
 * line, a big config has each depth-2 object on one compact line, which is then the place of all
 * of it). The one home for it: the findings' problems and the plan panel's links both land on
 * the line this file picks.
 * - a finding's objects ("kind name (uuid)" -> the line of "uuid": {, or of "name": "name";
 *   "a.b" -> the line of key b inside a): the first one found;
 * - a plan place (core/config/config-place.ts): the object of a top-level map by name (its
 *   "name" line) or uuid (its "uuid": { line), then a key of it, or the line holding a value.
 * Else the first line. No vscode import: plain text in, 0-based line out.
 */
import type { ConfigPlace } from '../core/config/config-place';
import type { Finding } from '../core/config/types';

export function findingLine(lines: readonly string[], finding: Finding): number {
  return objectsLine(lines, finding.objects ?? []) ?? 0;
}

/** The line of a plan item's place; the first line when the printed config does not hold it. */
export function placeLine(lines: readonly string[], place: ConfigPlace): number {
  if ('objects' in place) return objectsLine(lines, place.objects) ?? 0;
  const section = blockAt(lines, lines.findIndex((l) => l === `  ${JSON.stringify(place.section)}: {`));
  if (!section) return 0;
  const object = place.uuid !== undefined
    ? lineIn(lines, section, (l) => l.startsWith(`    ${JSON.stringify(place.uuid)}: {`))
    : lineIn(lines, section, (l) => isKeyLine(l, 6, 'name', JSON.stringify(place.name)) || (indentOf(l) === 4 && l.includes(`"name":${JSON.stringify(place.name)}`)));
  if (object === undefined) return 0;
  if (indentOf(lines[object]) === 4 && !lines[object].endsWith('{')) return object; // one object per line
  const body = blockAt(lines, place.uuid !== undefined ? object : enclosingOpen(lines, object, 4));
  if (!body) return object;
  if (place.key !== undefined) {
    const key = place.key;
    const at = lineIn(lines, body, (l) => isKeyLine(l, 6, key));
    if (at !== undefined) return at;
  }
  if (place.value !== undefined) {
    const value = place.value;
    // an array element ("11004,") or a key's value ("mac": "aa:..."), at any depth of the object
    const at = lineIn(lines, body, (l) => { const v = l.trim().replace(/,$/, ''); return v === value || v.endsWith(`: ${value}`); });
    if (at !== undefined) return at;
  }
  return object;
}

function objectsLine(lines: readonly string[], objects: readonly string[]): number | undefined {
  for (const object of objects) {
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
  return undefined;
}

/** A dotted JSON path ("cluster.mac_prefix"): each key searched for after the previous one's line. */
function jsonPathLine(lines: readonly string[], keys: readonly string[]): number {
  let at = -1;
  for (const key of keys) {
    const prefix = `${JSON.stringify(key)}:`;
    const next = lines.findIndex((l, i) => i > at && l.trimStart().startsWith(prefix));
    // the rest of the path inside a one-line object (printed one object per line): that line
    if (next < 0) return at >= 0 && /: [{[]./.test(lines[at]) ? at : -1;
    at = next;
  }
  return at;
}

interface Block { readonly open: number; readonly close: number }

const indentOf = (l: string) => l.length - l.trimStart().length;

/** `"key": value` at exactly this indent (value, when given, JSON-printed). */
function isKeyLine(l: string, indent: number, key: string, value?: string): boolean {
  if (indentOf(l) !== indent) return false;
  const v = l.slice(indent).replace(/,$/, '');
  return value === undefined ? v.startsWith(`${JSON.stringify(key)}:`) : v === `${JSON.stringify(key)}: ${value}`;
}

/** The lines from an opening `{`/`[` line to its closing line (the next line back at its indent). */
function blockAt(lines: readonly string[], open: number): Block | undefined {
  if (open < 0) return undefined;
  const indent = indentOf(lines[open]);
  for (let i = open + 1; i < lines.length; i++) if (indentOf(lines[i]) === indent) return { open, close: i };
  return undefined;
}

/** The opening line, at `indent`, of the block holding line `at`. */
function enclosingOpen(lines: readonly string[], at: number, indent: number): number {
  for (let i = at; i >= 0; i--) if (indentOf(lines[i]) === indent && lines[i].trimEnd().endsWith('{')) return i;
  return -1;
}

function lineIn(lines: readonly string[], block: Block, test: (line: string) => boolean): number | undefined {
  for (let i = block.open + 1; i < block.close; i++) if (test(lines[i])) return i;
  return undefined;
}
