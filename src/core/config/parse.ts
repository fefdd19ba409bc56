/**
 * Reading a config.data (spec 1.1–1.4, 5.3, 5.5): syntax with line:column, duplicate keys,
 * size limit, supported versions and the top-level container shapes. Deeper checks of the
 * objects are verifyConfig's job; parse only guarantees that verify can walk the maps.
 */
import * as fs from 'fs';
import { ConfigError, type Finding, type GanetiConfig, type Json } from './types';
import { scanJson } from './json/scan';
import { measureJsonText, measureParsed, type ParsedShape } from './json/key-count';
import { formatVersion, isSupportedVersion, SUPPORTED_VERSIONS } from './version';
import { oneLine } from '../safe-text';

export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface ParseOptions {
  /** Inputs larger than this are refused with E_INPUT_TOO_LARGE (default 256 MiB). */
  maxBytes?: number;
}

/** Maps keyed by uuid that every supported config carries (I-1). */
export const OBJECT_MAP_KEYS = ['nodes', 'nodegroups', 'instances', 'networks', 'disks', 'filters'] as const;
export const REQUIRED_TOP_LEVEL_KEYS = ['version', 'cluster', ...OBJECT_MAP_KEYS, 'serial_no'] as const;

/**
 * Deepest nesting accepted. Ganeti's config.data is about ten levels deep (DRBD disk children
 * add two per level); every later step (key count, verification, cloning, printing) may then
 * recurse without an input-controlled stack depth.
 */
export const MAX_JSON_DEPTH = 64;

/** How many duplicate keys are listed before the rest is summarised. */
const MAX_LISTED_DUPLICATES = 20;

/** Messages may quote keys (duplicates, paths): control characters escaped for every front end. */
function malformed(source: string, message: string): Finding {
  return { code: 'E_MALFORMED', severity: 'error', message: oneLine(`${source}: ${message}`), source };
}

function isPlainObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function supportedList(): string {
  return SUPPORTED_VERSIONS.map((v) => `${formatVersion(v)} (${v})`).join(', ');
}

function checkSize(text: string, source: string, maxBytes: number): void {
  // Each character is at least one UTF-8 byte, so only borderline inputs need the exact count.
  const tooLarge = text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes);
  if (tooLarge) {
    throw new ConfigError([
      {
        code: 'E_INPUT_TOO_LARGE',
        severity: 'error',
        message: `${source}: input is larger than the limit of ${maxBytes} bytes`,
        source,
      },
    ]);
  }
}

function checkNotEmpty(text: string, source: string): void {
  if (text.trim() === '') throw new ConfigError([malformed(source, 'the file is empty')]);
  if (text.charCodeAt(0) === 0xfeff) {
    throw new ConfigError([malformed(source, 'starts with a byte-order mark; Ganeti writes (and reads) plain UTF-8 JSON without one')]);
  }
}

/** Runs the precise scanner (only on input already known to be bad) and throws what it finds. */
function throwScanFindings(text: string, source: string, fallback: string): never {
  const scan = scanJson(text);
  if (scan.error) {
    const e = scan.error;
    const byteOffset = Buffer.byteLength(text.slice(0, e.offset), 'utf8');
    throw new ConfigError([malformed(source, `${e.line}:${e.column} (byte offset ${byteOffset}): not valid JSON: ${e.message}`)]);
  }
  if (scan.duplicates.length > 0) {
    const listed = scan.duplicates.slice(0, MAX_LISTED_DUPLICATES).map((d) =>
      malformed(source, `${d.line}:${d.column}: duplicate key ${JSON.stringify(d.key)} in object ${d.path}`),
    );
    const rest = scan.duplicates.length - listed.length;
    if (rest > 0) listed.push(malformed(source, `… and ${rest} more duplicate keys`));
    throw new ConfigError(listed);
  }
  throw new ConfigError([malformed(source, fallback)]);
}

/**
 * Values a JavaScript object cannot carry unchanged: numbers JSON.parse rounded and "__proto__"
 * keys (see json/key-count.ts). The scanner names the first of each, only on this failure path.
 */
function throwUncarried(text: string, source: string, parsed: ParsedShape): never {
  const scan = scanJson(text, { findInexactNumber: parsed.inexactNumbers > 0, findProtoKey: parsed.protoKeys > 0 });
  const findings: Finding[] = [];
  const more = (n: number, what: string) => (n > 1 ? ` (${n} such ${what} in the file)` : '');
  if (parsed.inexactNumbers > 0) {
    const at = scan.inexactNumber;
    const where = at ? `${at.line}:${at.column}: the number at ${at.path}` : 'a number';
    // The value is not shown: it may be a private parameter.
    findings.push(malformed(source,
      `${where} is beyond ±(2^53-1), where numbers are not read exactly, so it could be written back changed${more(parsed.inexactNumbers, 'numbers')}`));
  }
  if (parsed.protoKeys > 0) {
    const at = scan.protoKey;
    const where = at ? `${at.line}:${at.column}: key "__proto__" in object ${at.path}` : 'a key "__proto__"';
    findings.push(malformed(source,
      `${where} cannot be kept: copying it would set the copy's prototype instead; Ganeti has no field or parameter of that name${more(parsed.protoKeys, 'keys')}`));
  }
  throw new ConfigError(findings);
}

/**
 * JSON.parse, then duplicate keys by counting, numbers it could not carry exactly and "__proto__"
 * keys, in one walk (see json/key-count.ts); the scanner runs only for input that fails a test,
 * to report the exact position.
 */
function parseJson(text: string, source: string): Json {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    // JSON.parse's own message quotes the input: never shown (the file may hold secrets).
    throwScanFindings(text, source, 'not valid JSON');
  }
  const shape = measureJsonText(text);
  if (shape.maxDepth > MAX_JSON_DEPTH) {
    throw new ConfigError([malformed(source, `objects and lists are nested ${shape.maxDepth} levels deep (at most ${MAX_JSON_DEPTH})`)]);
  }
  const parsed = measureParsed(root);
  if (shape.declaredKeys !== parsed.ownKeys) {
    // The counts only differ when a key repeats, so the scanner will name it.
    throwScanFindings(text, source, 'an object has a duplicate key');
  }
  if (parsed.inexactNumbers > 0 || parsed.protoKeys > 0) throwUncarried(text, source, parsed);
  return root;
}

function checkVersion(root: { [key: string]: Json }, source: string): number {
  if (!('version' in root)) throw new ConfigError([malformed(source, 'top-level key "version" is missing')]);
  const version = root.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ConfigError([malformed(source, `top-level "version" must be an integer, found ${JSON.stringify(version)}`)]);
  }
  if (!isSupportedVersion(version)) {
    throw new ConfigError([
      {
        code: 'E_VERSION_UNSUPPORTED',
        severity: 'error',
        message:
          `${source}: config version ${formatVersion(version)} (${version}) is not supported; supported are ${supportedList()}. ` +
          'Run cfgupgrade on that cluster (upgrade Ganeti to 2.16 or later) first.',
        source,
      },
    ]);
  }
  return version;
}

function checkContainers(root: { [key: string]: Json }, source: string): Finding[] {
  const findings: Finding[] = [];
  const missing = REQUIRED_TOP_LEVEL_KEYS.filter((k) => !(k in root));
  if (missing.length > 0) findings.push(malformed(source, `missing top-level key(s): ${missing.join(', ')}`));
  if ('cluster' in root && !isPlainObject(root.cluster)) {
    findings.push(malformed(source, `"cluster" must be an object, found ${typeName(root.cluster)}`));
  }
  if (isPlainObject(root.cluster) && 'config_version' in root.cluster) {
    findings.push(malformed(source, '"cluster.config_version" is present; Ganeti treats this as a corrupted configuration'));
  }
  for (const key of OBJECT_MAP_KEYS) {
    if (!(key in root)) continue;
    const map = root[key];
    if (!isPlainObject(map)) {
      findings.push(malformed(source, `"${key}" must be an object keyed by uuid, found ${typeName(map)}`));
      continue;
    }
    // for-in, not Object.entries: no [key, value] pair per object of a 30k-object map.
    for (const uuid in map) {
      const value = map[uuid];
      if (!isPlainObject(value)) findings.push(malformed(source, `"${key}"["${uuid}"] must be an object, found ${typeName(value)}`));
    }
  }
  if ('serial_no' in root && (typeof root.serial_no !== 'number' || !Number.isInteger(root.serial_no))) {
    findings.push(malformed(source, `top-level "serial_no" must be an integer, found ${JSON.stringify(root.serial_no)}`));
  }
  for (const key of ['ctime', 'mtime']) {
    if (key in root && typeof root[key] !== 'number') findings.push(malformed(source, `top-level "${key}" must be a number`));
  }
  if (findings.length === 0 && Object.keys(root.nodes as object).length === 0) {
    findings.push(malformed(source, 'the configuration has no nodes'));
  }
  return findings;
}

/**
 * Parses config.data text. Throws ConfigError (E_MALFORMED, E_INPUT_TOO_LARGE,
 * E_VERSION_UNSUPPORTED) and never returns a half-checked config.
 */
export function parseConfig(text: string, source: string, opts: ParseOptions = {}): GanetiConfig {
  checkSize(text, source, opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES);
  checkNotEmpty(text, source);
  const root = parseJson(text, source);
  if (!isPlainObject(root)) throw new ConfigError([malformed(source, `the document must be a JSON object, found ${typeName(root)}`)]);
  checkVersion(root, source);
  const findings = checkContainers(root, source);
  if (findings.length > 0) throw new ConfigError(findings);
  return root as GanetiConfig;
}

/** Offset of the first byte that is not valid UTF-8 (only called when decoding failed). */
function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > buf.length) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return -1;
}

/** Decodes bytes (refusing non-UTF-8 input, spec 5.3) and parses them. */
export function parseConfigBuffer(buf: Buffer, source: string, opts: ParseOptions = {}): GanetiConfig {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (buf.length > maxBytes) {
    throw new ConfigError([
      { code: 'E_INPUT_TOO_LARGE', severity: 'error', message: `${source}: input is ${buf.length} bytes, larger than the limit of ${maxBytes} bytes`, source },
    ]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new ConfigError([malformed(source, `not valid UTF-8 (first invalid byte at offset ${firstInvalidUtf8(buf)})`)]);
  }
  return parseConfig(text, source, opts);
}

/** Reads and parses a file; the size limit is checked before reading. Messages name the file. */
export function parseConfigFile(path: string, opts: ParseOptions = {}): GanetiConfig {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const size = fs.statSync(path).size;
  if (size > maxBytes) {
    throw new ConfigError([
      { code: 'E_INPUT_TOO_LARGE', severity: 'error', message: `${path}: file is ${size} bytes, larger than the limit of ${maxBytes} bytes`, source: path },
    ]);
  }
  return parseConfigBuffer(fs.readFileSync(path), path, opts);
}
