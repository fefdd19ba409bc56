/** Shared inputs and assertions for the merge tests: generated clusters and small mutations. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseConfigFile } from '../../../src/core/config/parse';
import { mergeConfigs, type MergeResult } from '../../../src/core/config/merge';
import type { MergeOptionsInput } from '../../../src/core/config/merge/options';
import type { FindingCode } from '../../../src/core/config/codes';
import type { GanetiConfig, Instance, Network, Node } from '../../../src/core/config/types';
import { generateCluster, type GenerateOptions } from './generator';

export const NOW = 1_800_000_000.25;


/** A small valid cluster; distinct names give distinct IPs, MACs and uuids. */
export function cluster(name: string, opts: Partial<GenerateOptions> = {}): GanetiConfig {
  return generateCluster({ name, nodes: 3, instancesPerNode: 2, seed: 7, drbdFraction: 0.5, ...opts });
}

export function merge(target: GanetiConfig, incoming: GanetiConfig[], options: MergeOptionsInput = {}): MergeResult {
  return mergeConfigs(target, incoming.map((config, i) => ({ config, source: `in${i + 1}.json` })), { now: NOW, ...options }, 'target.json');
}

export function codes(result: MergeResult): FindingCode[] {
  return [...result.report.errors, ...result.report.warnings].map((f) => f.code);
}

/** The merge failed and reported `code` (with the named objects, when given). */
export function assertError(result: MergeResult, code: FindingCode, mentions?: string): void {
  assert.equal(result.ok, false, `expected ${code}, but the merge succeeded`);
  assert.equal(result.merged, undefined);
  const hits = result.report.errors.filter((f) => f.code === code);
  assert.ok(hits.length > 0, `expected ${code}, got ${result.report.errors.map((f) => `${f.code}: ${f.message}`).join('\n')}`);
  if (mentions !== undefined) {
    assert.ok(hits.some((f) => f.message.includes(mentions) || (f.objects ?? []).some((o) => o.includes(mentions))),
      `${code} does not mention ${mentions}: ${hits.map((f) => f.message).join('\n')}`);
  }
}

export function assertWarning(result: MergeResult, code: FindingCode, mentions?: string): void {
  const hits = result.report.warnings.filter((f) => f.code === code);
  assert.ok(hits.length > 0, `expected warning ${code}, got ${codes(result).join(', ')}`);
  if (mentions !== undefined) assert.ok(hits.some((f) => f.message.includes(mentions)), `${code} does not mention ${mentions}`);
}

export function assertOk(result: MergeResult): GanetiConfig {
  assert.deepEqual(result.report.errors.map((f) => `${f.code}: ${f.message}`), []);
  assert.equal(result.ok, true);
  assert.ok(result.merged);
  return result.merged;
}

export const nodes = (c: GanetiConfig): Node[] => Object.values(c.nodes);
export const instances = (c: GanetiConfig): Instance[] => Object.values(c.instances);
export const networks = (c: GanetiConfig): Network[] => Object.values(c.networks);
export const firstNode = (c: GanetiConfig): Node => nodes(c).sort((a, b) => (a.name < b.name ? -1 : 1))[0];
export const firstInstance = (c: GanetiConfig): Instance => instances(c).sort((a, b) => (a.name < b.name ? -1 : 1))[0];

/**
 * Moves an incoming cluster's network (and the IPs of its NICs) onto the target network's CIDR,
 * renamed to the target network's name, using addresses from `offset` on: a mergeable twin.
 */
export function twinNetwork(incoming: GanetiConfig, target: GanetiConfig, offset: number): { net: Network; into: Network } {
  const into = networks(target)[0];
  const net = networks(incoming)[0];
  const [base] = String(into.network).split('/');
  const baseInt = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const ip = (i: number) => { const v = baseInt + i; return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.'); };
  const bits = new Array<string>(String(into.reservations).length).fill('0');
  let next = offset;
  for (const inst of instances(incoming)) {
    for (const nic of inst.nics) {
      if (nic.network !== net.uuid) continue;
      nic.ip = ip(next);
      bits[next++] = '1';
    }
  }
  for (const key of ['network', 'gateway', 'network6', 'gateway6', 'mac_prefix']) {
    if (into[key] === undefined) delete net[key]; else net[key] = into[key];
  }
  net.name = into.name;
  net.reservations = bits.join('');
  net.ext_reservations = into.ext_reservations;
  return { net, into };
}

/** Ganeti's 3.0 sample config, when the fixture corpus is available. */
import { FIXTURES_DIR } from './fixtures-dir';

export { FIXTURES_DIR };
export const FIXTURE = path.join(FIXTURES_DIR, 'cluster_config_3.0.json');

/**
 * The fixture as a valid merge input: its network name contains a space (I-25) and all its
 * instances are running (B.10); a real cluster being merged would have neither.
 */
export function mergeableFixture(): GanetiConfig {
  const c = parseConfigFile(FIXTURE);
  for (const n of Object.values(c.networks)) n.name = n.name.replace(/\s+/g, '-');
  for (const i of Object.values(c.instances)) { i.admin_state = 'down'; i.disks_active = false; }
  return c;
}
