/**
 * Walking disk trees (a top-level disk and, recursively, its `children`) and reading DRBD
 * logical_ids. Ports, minors, LVs and node references live at every level (spec 2.6, I-15).
 */
import type { Disk, Json, JsonObject } from '../types';

export const DRBD_DEV_TYPE = 'drbd';

/** Position of a disk inside its tree: [] for the top-level disk, [1, 0] for children[1].children[0]. */
export type DiskTreePath = readonly number[];

export type DiskVisitor = (disk: JsonObject, path: DiskTreePath, parent: JsonObject | undefined) => void;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Calls `visit` for the disk itself first, then depth-first for each child (spec 3.6.3 order). */
export function walkDisk(disk: JsonObject, visit: DiskVisitor): void {
  walkLevel(disk, EMPTY_PATH, undefined, visit);
}

const EMPTY_PATH: DiskTreePath = [];

function walkLevel(d: JsonObject, path: DiskTreePath, parent: JsonObject | undefined, visit: DiskVisitor): void {
  visit(d, path, parent);
  const children = d.children;
  if (!Array.isArray(children)) return;
  for (let index = 0; index < children.length; index++) {
    const child = children[index];
    if (isObject(child)) walkLevel(child, [...path, index], d, visit);
  }
}

/** JSON-ish suffix for a tree path, e.g. `.children[0]`, for messages and report paths. */
export function diskPathSuffix(path: DiskTreePath): string {
  return path.map((i) => `.children[${i}]`).join('');
}

export function isDrbd(disk: JsonObject): boolean {
  return disk.dev_type === DRBD_DEV_TYPE;
}

/** The fields of a well-formed DRBD logical_id (spec 2.6); secret is deliberately not included. */
export interface DrbdLogicalId {
  nodeA: string;
  nodeB: string;
  port: number;
  minorA: number;
  minorB: number;
}

/**
 * Reads a DRBD logical_id, or undefined if it does not have the 6-element shape of I-16
 * (strings, three integers, string secret).
 */
export function readDrbdLogicalId(disk: JsonObject): DrbdLogicalId | undefined {
  const lid = disk.logical_id;
  if (!Array.isArray(lid) || lid.length !== 6) return undefined;
  // Indexes, not destructuring: this runs for every DRBD level, often in unoptimised code.
  const nodeA = lid[0];
  const nodeB = lid[1];
  const port = lid[2];
  const minorA = lid[3];
  const minorB = lid[4];
  const secret = lid[5];
  if (typeof nodeA !== 'string' || typeof nodeB !== 'string' || typeof secret !== 'string') return undefined;
  if (!isInt(port) || !isInt(minorA) || !isInt(minorB)) return undefined;
  return { nodeA, nodeB, port, minorA, minorB };
}

function isInt(v: Json): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Every DRBD level of a disk tree (normally just the top-level disk). */
export function drbdLevels(disk: Disk | JsonObject): JsonObject[] {
  const levels: JsonObject[] = [];
  walkDisk(disk, (d) => {
    if (isDrbd(d)) levels.push(d);
  });
  return levels;
}
