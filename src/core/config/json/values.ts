/** Small JSON helpers for the merger: one cheap deep clone and a structural equality. */
import type { Json, JsonObject } from '../types';

/** Deep copy of a parsed JSON value (faster than structuredClone for plain data). */
export function cloneJson<T extends Json>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: JsonObject = {};
  for (const key of Object.keys(value)) out[key] = cloneJson((value as JsonObject)[key]);
  return out as T;
}

/** Deep JSON equality; object key order is irrelevant, array order matters. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEqual((a as JsonObject)[k], (b as JsonObject)[k])) return false;
  }
  return true;
}

/**
 * The map's own value for `key` (undefined when absent). A parsed object still inherits
 * "constructor", "toString"... from Object: `map[key]` for a key only the other side has would
 * read a function, which no comparison or message expects.
 */
export function own(map: JsonObject, key: string): Json | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as an object, or an empty one when absent/not an object (Ganeti's "absent = {}"). */
export function objectOrEmpty(v: Json | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}

/** Short printable form of a (non-secret) value for messages. */
export function showValue(v: Json | undefined): string {
  if (v === undefined) return '<unset>';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Compare by code unit order, locale-independent, for deterministic sorting. */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Where two JSON values first differ, as a dotted path below `path` (objects by sorted key, arrays
 * of equal length by index), so a message can name `ipolicy.disk-templates` instead of printing two
 * large maps that look alike.
 */
export function firstDifference(a: Json | undefined, b: Json | undefined, path: string): { path: string; a: Json | undefined; b: Json | undefined } {
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byString);
    const key = keys.find((k) => !jsonEqual(own(a, k), own(b, k)));
    if (key !== undefined) return firstDifference(own(a, key), own(b, key), `${path}.${key}`);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some((x) => isJsonObject(x) || Array.isArray(x))) {
    const index = a.findIndex((x, i) => !jsonEqual(x, b[i]));
    if (index >= 0) return firstDifference(a[index], b[index], `${path}.${index}`);
  }
  return { path, a, b };
}
