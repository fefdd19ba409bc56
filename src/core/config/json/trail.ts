/**
 * Exact, allocation-light "was this JSON value changed?" records for the I-33 check. A trail
 * is the value's leaves and structure in document order, appended to one shared array; a
 * later value matches when walking it reproduces the same items, leaves compared with ===.
 * Unlike a hash this never misses a change, and unlike a deep copy it stores only references
 * (strings are not copied and, being the same string objects after a merge, compare by pointer).
 */
import type { Json, JsonObject } from '../types';

/** Structure markers: never equal to any JSON leaf. */
const ARRAY = Symbol('array');
const OBJECT = Symbol('object');
const END = Symbol('end');

const CHUNK_BITS = 15;
const CHUNK = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK - 1;

/**
 * An append-only list in fixed-size chunks: a single array of a million items would be
 * copied on every growth step and keep up to half its capacity unused.
 */
export class Trail {
  private readonly chunks: unknown[][] = [];
  private last: unknown[] = [];
  length = 0;

  push(item: unknown): void {
    const offset = this.length & OFFSET_MASK;
    if (offset === 0) {
      this.last = new Array(CHUNK);
      this.chunks.push(this.last);
    }
    this.last[offset] = item;
    this.length++;
  }

  at(index: number): unknown {
    // Shifts, not Math.floor(index / CHUNK): this runs for every recorded item of every copied object.
    return index < this.length ? this.chunks[index >>> CHUNK_BITS][index & OFFSET_MASK] : undefined;
  }
}

/** Hooks for the few places a record must skip: keys of one object level, one array element. */
export interface TrailRules {
  /** Keys of this object that are not recorded. */
  skipKeys?: ReadonlySet<string>;
  /** Called for each recorded key whose value is an object or array; return rules for it, or undefined for a plain record. */
  nested?: (key: string, value: Json, parent: JsonObject) => TrailRules | undefined;
  /** For an array value: an index that is not recorded. */
  skipIndex?: number;
  /** For an array value: rules for its elements. */
  elements?: TrailRules;
}

/** Appends the trail of `value` to `trail`. */
export function record(trail: Trail, value: Json | undefined, rules?: TrailRules): void {
  if (typeof value !== 'object' || value === null) {
    trail.push(value);
    return;
  }
  if (Array.isArray(value)) {
    trail.push(ARRAY);
    trail.push(value.length);
    const skipIndex = rules?.skipIndex;
    const elements = rules?.elements;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (i === skipIndex) continue;
      // Leaves inline: most arrays hold strings or numbers (tags, logical_id, nodes).
      if (typeof item !== 'object' || item === null) trail.push(item);
      else record(trail, item, elements);
    }
    return;
  }
  trail.push(OBJECT);
  // Rules read once per object, not once per key.
  const skipKeys = rules?.skipKeys;
  const nested = rules?.nested;
  for (const key in value) {
    if (skipKeys !== undefined && skipKeys.has(key)) continue;
    const v = value[key];
    trail.push(key);
    if (typeof v !== 'object' || v === null) trail.push(v);
    else record(trail, v, nested?.(key, v, value));
  }
  trail.push(END);
}

/**
 * Compares `value` with the trail recorded at `at` under the same rules. Returns the index
 * just after the record, or -1 when anything differs.
 */
export function match(trail: Trail, at: number, value: Json | undefined, rules?: TrailRules): number {
  if (at < 0) return -1;
  if (typeof value !== 'object' || value === null) return trail.at(at) === value ? at + 1 : -1;
  if (Array.isArray(value)) {
    if (trail.at(at) !== ARRAY || trail.at(at + 1) !== value.length) return -1;
    let pos = at + 2;
    const skipIndex = rules?.skipIndex;
    const elements = rules?.elements;
    for (let i = 0; i < value.length && pos >= 0; i++) {
      if (i === skipIndex) continue;
      const item = value[i];
      if (typeof item !== 'object' || item === null) pos = trail.at(pos) === item ? pos + 1 : -1;
      else pos = match(trail, pos, item, elements);
    }
    return pos;
  }
  if (trail.at(at) !== OBJECT) return -1;
  let pos = at + 1;
  const skipKeys = rules?.skipKeys;
  const nested = rules?.nested;
  for (const key in value) {
    if (skipKeys !== undefined && skipKeys.has(key)) continue;
    if (trail.at(pos) !== key) return -1;
    const v = value[key];
    if (typeof v !== 'object' || v === null) pos = trail.at(pos + 1) === v ? pos + 2 : -1;
    else pos = match(trail, pos + 1, v, nested?.(key, v, value));
    if (pos < 0) return -1;
  }
  return trail.at(pos) === END ? pos + 1 : -1;
}
