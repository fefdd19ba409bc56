/**
 * A single-pass JSON syntax scanner. JSON.parse neither reports duplicate keys (it keeps the
 * last one, spec 5.3) nor a reliable line:column, so input that fails JSON.parse or the key
 * count of json-key-count.ts is scanned with this to say exactly where. It builds no values,
 * only a Set of keys per open object, so it stays linear on 30 MB one-line files.
 */
import { isBeyondExactRange } from './exact-number';

export interface TextPosition {
  /** Index into the string (UTF-16 code units). */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

export interface JsonSyntaxError extends TextPosition {
  message: string;
}

export interface DuplicateKey extends TextPosition {
  /** JSON path of the object holding the key twice, e.g. `$.nodes["abc"]`. */
  path: string;
  key: string;
}

/** A place found on request: a number JSON.parse cannot carry exactly (see exact-number.ts), a "__proto__" key. */
export interface FoundAt extends TextPosition {
  /** JSON path of the number, e.g. `$["instances"]["abc"]["beparams"]["x"]`, or of the key's object. */
  path: string;
}

export interface JsonScanResult {
  error?: JsonSyntaxError;
  duplicates: DuplicateKey[];
  /** The first such number in document order (only looked for when asked: it costs a Number() per number). */
  inexactNumber?: FoundAt;
  /** The first "__proto__" key in document order (when asked), with the path of its object. */
  protoKey?: FoundAt;
}

export interface JsonScanOptions {
  findInexactNumber?: boolean;
  findProtoKey?: boolean;
}

/** Computes line and column of an offset by counting newlines (only done when reporting). */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

interface Frame {
  isObject: boolean;
  keys: Set<string> | undefined;
  /** Last key read (objects) or current index (arrays): needed only to print paths. */
  segment: string | number;
}

class SyntaxFailure extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const enum Mode {
  Value,
  Key,
  After,
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function describeChar(text: string, i: number): string {
  return i >= text.length ? 'end of input' : `character ${JSON.stringify(text[i])}`;
}

/** Returns the index just after the closing quote; `escaped` tells whether decoding is needed. */
function scanString(text: string, start: number, out: { escaped: boolean }): number {
  let i = start + 1;
  const n = text.length;
  out.escaped = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      out.escaped = true;
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) {
          if (!isHex(text.charCodeAt(i + k))) throw new SyntaxFailure(i, 'invalid \\u escape in string');
        }
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
        continue;
      }
      throw new SyntaxFailure(i, 'invalid escape sequence in string');
    }
    if (c < 0x20) throw new SyntaxFailure(i, 'unescaped control character in string');
    i++;
  }
  throw new SyntaxFailure(start, 'unterminated string');
}

function scanNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  const first = text.charCodeAt(i);
  if (first === 0x30) {
    i++;
  } else if (isDigit(first)) {
    while (isDigit(text.charCodeAt(i))) i++;
  } else {
    throw new SyntaxFailure(i, `invalid number: unexpected ${describeChar(text, i)}`);
  }
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) throw new SyntaxFailure(i, 'invalid number: digit expected after "."');
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) throw new SyntaxFailure(i, 'invalid number: digit expected in exponent');
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function pathOf(stack: Frame[]): string {
  let path = '$';
  for (const frame of stack) {
    path += frame.isObject ? `[${JSON.stringify(frame.segment)}]` : `[${frame.segment}]`;
  }
  return path;
}

/**
 * Checks `text` against the JSON grammar (RFC 8259) and collects keys that occur twice in one
 * object. Stops at the first syntax error.
 */
export function scanJson(text: string, opts: JsonScanOptions = {}): JsonScanResult {
  const duplicates: Array<Omit<DuplicateKey, 'line' | 'column'>> = [];
  const found: Found = { duplicates, findInexact: opts.findInexactNumber === true, findProto: opts.findProtoKey === true };
  const at = (f: { offset: number; path: string } | undefined) => f && { ...f, ...positionOf(text, f.offset) };
  const finish = (error?: { offset: number; message: string }): JsonScanResult => ({
    error: error && { ...positionOf(text, error.offset), message: error.message },
    duplicates: duplicates.map((d) => ({ ...d, ...positionOf(text, d.offset) })),
    inexactNumber: at(found.inexact),
    protoKey: at(found.proto),
  });
  try {
    scanInto(text, found);
    return finish();
  } catch (e) {
    if (e instanceof SyntaxFailure) return finish({ offset: e.offset, message: e.message });
    throw e;
  }
}

/** What the scan collects besides syntax errors. */
interface Found {
  duplicates: Array<Omit<DuplicateKey, 'line' | 'column'>>;
  findInexact: boolean;
  inexact?: { offset: number; path: string };
  findProto: boolean;
  proto?: { offset: number; path: string };
}

function scanInto(text: string, found: Found): void {
  const { duplicates } = found;
  const n = text.length;
  const stack: Frame[] = [];
  // Key sets are reused between sibling objects to keep allocation low on big files.
  const spareSets: Set<string>[] = [];
  const str = { escaped: false };
  let i = 0;
  let mode: Mode = Mode.Value;
  const skipWs = (): void => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };
  const popFrame = (): void => {
    const frame = stack.pop() as Frame;
    if (frame.keys) {
      frame.keys.clear();
      spareSets.push(frame.keys);
    }
    mode = Mode.After;
  };
  for (;;) {
    skipWs();
    if (mode === Mode.Value) {
      const c = text.charCodeAt(i);
      if (c === 0x7b) {
        i++;
        stack.push({ isObject: true, keys: spareSets.pop() ?? new Set<string>(), segment: '' });
        skipWs();
        if (text.charCodeAt(i) === 0x7d) {
          i++;
          popFrame();
        } else {
          mode = Mode.Key;
        }
      } else if (c === 0x5b) {
        i++;
        stack.push({ isObject: false, keys: undefined, segment: 0 });
        skipWs();
        if (text.charCodeAt(i) === 0x5d) {
          i++;
          popFrame();
        }
      } else if (c === 0x22) {
        i = scanString(text, i, str);
        mode = Mode.After;
      } else if (c === 0x2d || isDigit(c)) {
        const start = i;
        i = scanNumber(text, i);
        if (found.findInexact && !found.inexact && isBeyondExactRange(Number(text.slice(start, i)))) {
          found.inexact = { offset: start, path: pathOf(stack) };
        }
        mode = Mode.After;
      } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
        i += 4;
        mode = Mode.After;
      } else if (text.startsWith('false', i)) {
        i += 5;
        mode = Mode.After;
      } else {
        throw new SyntaxFailure(i, `unexpected ${describeChar(text, i)}, a JSON value was expected`);
      }
    } else if (mode === Mode.Key) {
      if (text.charCodeAt(i) !== 0x22) {
        throw new SyntaxFailure(i, `unexpected ${describeChar(text, i)}, a quoted object key was expected`);
      }
      const start = i;
      i = scanString(text, i, str);
      const key = str.escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
      const frame = stack[stack.length - 1];
      const keys = frame.keys as Set<string>;
      if (keys.has(key)) duplicates.push({ offset: start, path: pathOf(stack.slice(0, -1)), key });
      else keys.add(key);
      if (found.findProto && !found.proto && key === '__proto__') found.proto = { offset: start, path: pathOf(stack.slice(0, -1)) };
      frame.segment = key;
      skipWs();
      if (text.charCodeAt(i) !== 0x3a) throw new SyntaxFailure(i, `unexpected ${describeChar(text, i)}, ":" was expected`);
      i++;
      mode = Mode.Value;
    } else {
      if (stack.length === 0) {
        if (i < n) throw new SyntaxFailure(i, `unexpected ${describeChar(text, i)} after the end of the JSON document`);
        return;
      }
      const frame = stack[stack.length - 1];
      const c = text.charCodeAt(i);
      if (c === 0x2c) {
        i++;
        if (frame.isObject) {
          mode = Mode.Key;
        } else {
          frame.segment = (frame.segment as number) + 1;
          mode = Mode.Value;
        }
      } else if (frame.isObject && c === 0x7d) {
        i++;
        popFrame();
      } else if (!frame.isObject && c === 0x5d) {
        i++;
        popFrame();
      } else {
        const expected = frame.isObject ? '"," or "}"' : '"," or "]"';
        throw new SyntaxFailure(i, `unexpected ${describeChar(text, i)}, ${expected} was expected`);
      }
    }
  }
}
