/** Small accessors for tests that break one invariant of a generated cluster. */
import type { Disk, Finding, GanetiConfig, Instance, JsonObject, Node } from '../../../src/core/config/types';
import { ruleOf, verifyConfig, type VerifyOptions } from '../../../src/core/config/verify';
import { generateCluster } from './generator';

/** 4 nodes, 2 groups, 20 instances: DRBD, plain, file, second disks, a network, console ports, a port pool. */
export function sampleCluster(): GanetiConfig {
  return generateCluster({
    name: 'verify', nodes: 4, instancesPerNode: 5, groups: 2, withNetwork: true, drbdFraction: 0.25, networkPortFraction: 0.2, freePorts: 2,
  });
}

export function nodesOf(c: GanetiConfig): Node[] {
  return Object.values(c.nodes);
}

export function instancesOf(c: GanetiConfig): Instance[] {
  return Object.values(c.instances);
}

export function disksOf(c: GanetiConfig, devType: string): Disk[] {
  return Object.values(c.disks).filter((d) => d.dev_type === devType);
}

export function instanceWith(c: GanetiConfig, devType: string): Instance {
  const found = instancesOf(c).find((i) => c.disks[i.disks[0]].dev_type === devType);
  if (!found) throw new Error(`sample cluster has no instance with a ${devType} disk`);
  return found;
}

export function networkNics(c: GanetiConfig): JsonObject[] {
  return instancesOf(c).flatMap((i) => i.nics.filter((n) => typeof n.network === 'string'));
}

/** The sorted, distinct rule ids of the findings ("I-19", "5.3", …). */
export function rulesOf(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => ruleOf(f) ?? `?${f.message}`))].sort();
}

export function verifyRules(c: GanetiConfig, opts?: VerifyOptions): string[] {
  return rulesOf(verifyConfig(c, opts));
}
