/**
 * Cheap duplicate-key detection for valid JSON. JSON.parse keeps the last of two equal keys
 * silently, so a parsed tree has fewer own keys than the text declares exactly when some
 * object repeats a key. Counting both sides is a tight loop without string extraction; only
 * a mismatch needs the precise (slower) scanner to say where the duplicate is. The same walk
 * over the parsed tree also counts numbers JSON.parse could not carry exactly and "__proto__" keys.
 */
import type { Json } from '../types';
import { isBeyondExactRange } from './exact-number';

/** What one pass over valid JSON text tells without parsing: its keys and its deepest nesting. */
export interface JsonTextShape {
  /** Object keys declared: in valid JSON every ':' outside a string follows exactly one key. */
  declaredKeys: number;
  /** Deepest nesting of objects and arrays (0 for a scalar document). */
  maxDepth: number;
}

/** Keys and nesting depth of text JSON.parse accepted (only meaningful for such text). */
export function measureJsonText(text: string): JsonTextShape {
  let count = 0;
  let depth = 0;
  let maxDepth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) {
      count++;
    } else if (c === 0x22) {
      i = closingQuote(text, i + 1);
      if (i < 0) break;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return { declaredKeys: count, maxDepth };
}

/** Number of object keys the text declares (see measureJsonText). */
export function countDeclaredKeys(text: string): number {
  return measureJsonText(text).declaredKeys;
}

/** Index of the quote that ends the string whose content starts at `from` (-1 if none). */
function closingQuote(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q !== -1; q = text.indexOf('"', q + 1)) {
    // The quote is escaped iff an odd number of backslashes precede it.
    let backslashes = 0;
    while (q - backslashes - 1 >= from && text.charCodeAt(q - backslashes - 1) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

/** What one walk over a parsed tree tells: its object keys and the numbers JSON.parse changed. */
export interface ParsedShape {
  /** Own keys of every object (fewer than declared exactly when some object repeats a key). */
  ownKeys: number;
  /** Numbers JSON.parse cannot carry exactly (see exact-number.ts); the scanner says where. */
  inexactNumbers: number;
  /**
   * Objects with an own "__proto__" key. JSON.parse makes it an ordinary property, but every copy
   * by assignment (`out[key] = v`) sets the copy's prototype instead: the key silently vanishes.
   */
  protoKeys: number;
}

/**
 * Walks a parsed JSON tree once. Recursive: callers first bound the depth (parse.ts refuses text
 * nested deeper than MAX_JSON_DEPTH). A leaf costs one typeof test unless it is a number.
 */
export function measureParsed(value: Json): ParsedShape {
  const shape: ParsedShape = { ownKeys: 0, inexactNumbers: 0, protoKeys: 0 };
  shape.ownKeys = walk(value, shape);
  return shape;
}

/** Returns the own keys below `value`; counts inexact numbers into `shape` (rare, so not returned). */
function walk(value: Json, shape: ParsedShape): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object') {
        if (item !== null) count += walk(item, shape);
      } else if (typeof item === 'number' && isBeyondExactRange(item)) {
        shape.inexactNumbers++;
      }
    }
    return count;
  }
  if (Object.hasOwn(value, '__proto__')) shape.protoKeys++;
  for (const key in value) {
    count++;
    const item = value[key];
    if (typeof item === 'object') {
      if (item !== null) count += walk(item, shape);
    } else if (typeof item === 'number' && isBeyondExactRange(item)) {
      shape.inexactNumbers++;
    }
  }
  return count;
}
