/**
 * mergeConfigs: folds incoming Ganeti configurations into a target (spec section 3) as a pure
 * function. Inputs are validated read-only, cloned once, and each incoming cluster is checked
 * completely against the merged-so-far result before any of it is applied (left fold).
 * A merged config is returned only when no step produced an error.
 */
import { checkCollisions } from './merge/collisions';
import { applyFilters, checkFilters } from './merge/filters';
import { applyGroups, planGroups } from './merge/groups';
import { MergedIndex } from './merge/merged-index';
import { checkInputs, stripForbiddenKeys, type MergeInput } from './merge/inputs';
import { applyDisksAndInstances } from './merge/instances';
import { applyInstancePins } from './merge/effective-params';
import { byString, cloneJson } from './json/values';
import { SeededRandom } from './merge/seeded-random';
import { applyNetworks, planNetworks } from './merge/networks';
import { applyNodes, planNodes } from './merge/nodes';
import { resolveMergeOptions, type MergeOptions, type MergeOptionsInput } from './merge/options';
import { applyClusterParams, checkClusterParams } from './merge/params';
import { checkPortCapacity, PortAllocator, reallocatePorts } from './merge/ports';
import { emptyReport, Findings, type MergeReport } from './merge/report';
import { checkResult, type FoldRecord } from './merge/result-check';
import { ownedKeys, snapshotInputs } from './merge/snapshot';
import { instancesByName } from './merge/walk';
import type { StepContext } from './merge/step-context';
import type { GanetiConfig } from './types';

export type { MergeInput } from './merge/inputs';
export type { MergeOptions, MergeOptionsInput } from './merge/options';
export type { MergeReport } from './merge/report';

export interface MergeResult {
  ok: boolean;
  /** Present only when ok. */
  merged?: GanetiConfig;
  report: MergeReport;
}

interface FoldState {
  merged: GanetiConfig;
  index: MergedIndex;
  ports: PortAllocator;
  random: SeededRandom;
  options: MergeOptions;
  f: Findings;
  fold: FoldRecord;
}

/**
 * Merges `incoming` (in order) into `target`. Never mutates its arguments unless the caller
 * passes consumeInputs (then the inputs are used up, also when the merge fails).
 * Throws MergeOptionsError for invalid options; every problem with the inputs is a finding.
 */
export function mergeConfigs(target: GanetiConfig, incoming: { config: GanetiConfig; source: string }[],
  optionsInput: MergeOptionsInput | MergeOptions = {}, targetSource = 'target'): MergeResult {
  const options = resolveMergeOptions(optionsInput);
  const report = emptyReport();
  const f = new Findings(report);
  const targetInput: MergeInput = { config: target, source: targetSource };
  const checked = checkInputs(targetInput, incoming, options, f);
  if (checked === null || f.errorCount > 0) return { ok: false, report };
  const strip = (c: GanetiConfig) => !options.allowUnknownFields && checked.withForbiddenKeys.has(c);

  const owned = ownedKeys(!options.allowUnknownFields, options.pinDefaults);
  const snapshot = snapshotInputs(targetInput, incoming, owned, options.pinDefaults);
  const merged = options.consumeInputs ? target : cloneJson(target);
  if (strip(target)) stripForbiddenKeys(merged);
  const state: FoldState = {
    merged, options, f,
    index: new MergedIndex(merged),
    ports: PortAllocator.forCluster(merged.cluster),
    random: new SeededRandom(options.macSeed),
    fold: { networkMaps: [], groupMaps: [], regeneratedNics: new Set(), freshPorts: [], copiedFilters: 0, pins: new Map() },
  };
  let failed = false;
  incoming.forEach((input, k) => {
    // After a failed step nothing more is applied, but later inputs are still checked.
    failed = !foldOne(state, input, !failed, strip(input.config), k === incoming.length - 1) || failed;
  });
  if (failed) return { ok: false, report };

  const now = options.now;
  state.ports.writeBack(merged.cluster);
  merged.cluster.mtime = now;
  merged.serial_no = merged.serial_no + 1;
  merged.mtime = now;
  state.fold.freshPorts = state.ports.fresh;
  checkResult(merged, snapshot, state.fold, owned, options.allowUnknownFields, f, checked.forced);
  if (f.errorCount > 0) return { ok: false, report };
  return { ok: true, merged, report };
}

/** Checks one incoming cluster against the merged-so-far config, then applies it if clean. */
function foldOne(state: FoldState, input: MergeInput, apply: boolean, strip: boolean, last: boolean): boolean {
  const { merged, options, f } = state;
  const { source } = input;
  const errorsBefore = f.errorCount;
  const c = options.consumeInputs ? input.config : cloneJson(input.config);
  if (strip) stripForbiddenKeys(c);
  const ctx: StepContext = {
    merged, index: state.index, incoming: c, instances: instancesByName(c), source, options, now: options.now,
    ports: state.ports, random: state.random, f,
  };

  const params = checkClusterParams(ctx);
  const networks = planNetworks(ctx);
  const groups = planGroups(ctx, networks.map);
  const nodes = planNodes(ctx, groups.map);
  const macs = checkCollisions({ ...ctx, networks, groups });
  checkPortCapacity(ctx);
  checkFilters(ctx);
  if (f.errorCount > errorsBefore || !apply) return f.errorCount === errorsBefore;

  applyClusterParams(merged.cluster, params);
  applyInstancePins(params.pins, source, f.report);
  for (const pin of params.pins) {
    const recorded = state.fold.pins?.get(pin.instance.uuid);
    if (recorded) recorded.push(pin);
    else state.fold.pins?.set(pin.instance.uuid, [pin]);
  }
  state.f.report.addedDiskTemplates.push(...params.templatesToAdd.filter((t) => !state.f.report.addedDiskTemplates.includes(t)));
  applyNetworks(ctx, networks);
  applyGroups(ctx, groups);
  applyNodes(ctx, nodes, groups.map);
  const diskUuids = Object.keys(c.disks).sort(byString);
  reallocatePorts(ctx, diskUuids);
  applyDisksAndInstances(ctx, diskUuids, networks.map, macs, !last);
  applyFilters(ctx);
  merged.cluster.serial_no = Number(merged.cluster.serial_no) + 1;

  state.fold.networkMaps.push(networks.map);
  state.fold.groupMaps.push(groups.map);
  for (const { instance, nic } of macs) state.fold.regeneratedNics.add(`${instance.uuid}/${instance.nics.indexOf(nic)}`);
  if (options.filters === 'copy') state.fold.copiedFilters += Object.keys(c.filters).length;
  return true;
}
