/**
 * verifyConfig: every section-4 invariant that can be checked on one config (I-1…I-5,
 * I-7…I-10, I-12, I-13, I-15…I-31) plus the input checks of spec 5.3. All checks are
 * linear in the number of objects (indexes in Maps/Sets). Findings carry E_INPUT_INVALID and
 * name the rule ("I-19: …"); a merger checking its own output re-labels them E_RESULT_INVALID.
 * Merge-only invariants (I-6, I-11, I-14, I-32…I-34) need the inputs and are the merger's.
 */
import type { Finding, GanetiConfig } from './types';
import { VerifyContext, type VerifyOptions } from './verify/context';
import { checkMapKeys, checkPersistedShape, checkRequiredFields, checkTopLevel } from './verify/structure';
import { checkCluster, checkNodeFlags } from './verify/cluster';
import { checkDrbd, checkPorts } from './verify/ports';
import { checkDiskRefs, checkInstanceRefs, checkNodeAndGroupRefs } from './verify/refs';
import { checkHostIps, checkMacs, checkNames, checkUuidNamespace } from './verify/identity';
import { checkNetworkReservations, checkNicIps } from './verify/nics';
import { checkForthcoming, checkStorageIdentities } from './verify/storage';
import { perObjectChecksClean } from './verify/one-pass';

export type { VerifyOptions } from './verify/context';

const CHECKS: Array<(ctx: VerifyContext) => void> = [
  checkTopLevel,
  checkMapKeys,
  checkPersistedShape,
  checkRequiredFields,
  checkCluster,
  checkNodeFlags,
  checkPorts,
  checkDrbd,
  checkInstanceRefs,
  checkDiskRefs,
  checkNodeAndGroupRefs,
  checkMacs,
  checkNames,
  checkHostIps,
  checkUuidNamespace,
  checkNicIps,
  checkNetworkReservations,
  checkStorageIdentities,
  checkForthcoming,
];

/** Checks that look at the cluster, nodes and groups only: cheap, so they always run. */
const CLUSTER_LEVEL_CHECKS = new Set([checkTopLevel, checkCluster, checkNodeFlags, checkNodeAndGroupRefs, checkHostIps]);

/** Returns all violations; an empty list means the config satisfies every checked invariant. */
export function verifyConfig(c: GanetiConfig, opts: VerifyOptions = {}): Finding[] {
  const ctx = new VerifyContext(c, opts);
  // Clean configs (every merge input and output that goes through) need one pass for the
  // per-object checks; anything else runs every check in full for its exact findings.
  const checks = perObjectChecksClean(ctx) ? CHECKS.filter((check) => CLUSTER_LEVEL_CHECKS.has(check)) : CHECKS;
  for (const check of checks) check(ctx);
  return ctx.findings;
}

/** verifyConfig without the one-pass clean path: every check in full (the reference for tests). */
export function verifyConfigFully(c: GanetiConfig, opts: VerifyOptions = {}): Finding[] {
  const ctx = new VerifyContext(c, opts);
  for (const check of CHECKS) check(ctx);
  return ctx.findings;
}

/** The rule id a verify finding names ("I-19", "5.3", "U11"), for tests and reports. */
export function ruleOf(finding: Finding): string | undefined {
  return /^(I-\d+a?|U\d+|5\.3):/.exec(finding.message)?.[1];
}
