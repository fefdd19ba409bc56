/**
 * Spec A.6, inherited defaults: an incoming instance (or NIC) that leaves a beparams, hvparams or
 * nicparams key unset silently switches to the target's default after the merge. In warn mode
 * each instance whose effective values change is listed (W_EFFECTIVE_PARAM_CHANGE). With
 * pinDefaults the incoming cluster's effective value is written into the instance/NIC instead,
 * except for hypervisor-global keys, which may only live at cluster level (those still warn).
 */
import type { InstancePinRecord, MergeReport } from './report';
import type { Findings } from './report';
import { byString, cloneJson, isJsonObject, jsonEqual, objectOrEmpty, own } from '../json/values';
import type { Cluster, GanetiConfig, Instance, Json, JsonObject } from '../types';

/** hvparams Ganeti only accepts at cluster level (A.6). */
export const HYPERVISOR_GLOBAL_PARAMS: ReadonlySet<string> = new Set(['migration_bandwidth', 'migration_mode', 'migration_port']);

export type PinSection = 'beparams' | 'hvparams' | 'nicparams';

/** One value to write: `nic` is the NIC index for nicparams. */
export interface InstancePin {
  instance: Instance;
  nic?: number;
  section: PinSection;
  key: string;
  value: Json;
}

function norm(v: Json | undefined): Json {
  return v === undefined ? null : v;
}

/** Keys whose values differ between two parameter maps (absent = null), sorted. */
function changedKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !jsonEqual(norm(own(a, k)), norm(own(b, k)))).sort(byString);
}

/** The pin path as reports and messages name it. */
export function pinPath(pin: Pick<InstancePin, 'nic' | 'section' | 'key'>): string {
  return pin.nic === undefined ? `${pin.section}.${pin.key}` : `nics[${pin.nic}].nicparams.${pin.key}`;
}

/**
 * Lists (warn) or plans pins for (pinDefaults) every unset parameter whose default differs.
 * A key the incoming cluster does not set at all has no value to pin: it still warns.
 * Nothing is changed here; applyInstancePins writes the plan once the whole step is clean.
 */
export function checkEffectiveParams(t: Cluster, incoming: GanetiConfig, pinDefaults: boolean, source: string, f: Findings): InstancePin[] {
  const c = incoming.cluster;
  const incomingBe = objectOrEmpty(objectOrEmpty(c.beparams).default);
  const incomingNic = objectOrEmpty(objectOrEmpty(c.nicparams).default);
  const be = changedKeys(incomingBe, objectOrEmpty(objectOrEmpty(t.beparams).default));
  const nic = changedKeys(incomingNic, objectOrEmpty(objectOrEmpty(t.nicparams).default));
  const hvCache = new Map<string, string[]>();
  const pins: InstancePin[] = [];
  for (const inst of Object.values(incoming.instances).sort((x, y) => byString(x.name, y.name))) {
    let hv = hvCache.get(inst.hypervisor);
    if (!hv) {
      hv = changedKeys(objectOrEmpty(own(objectOrEmpty(c.hvparams), inst.hypervisor)), objectOrEmpty(own(objectOrEmpty(t.hvparams), inst.hypervisor)));
      hvCache.set(inst.hypervisor, hv);
    }
    const incomingHv = objectOrEmpty(own(objectOrEmpty(c.hvparams), inst.hypervisor));
    const unpinned: string[] = [];
    // Either pins the incoming effective value or lists the key as changing.
    const consider = (section: PinSection, key: string, set: Json | undefined, defaults: JsonObject, nicIndex?: number): void => {
      if (Object.hasOwn(objectOrEmpty(set), key)) return;
      const pinnable = pinDefaults && Object.hasOwn(defaults, key) && !(section === 'hvparams' && HYPERVISOR_GLOBAL_PARAMS.has(key));
      if (pinnable) pins.push({ instance: inst, nic: nicIndex, section, key, value: defaults[key] });
      else unpinned.push(pinPath({ nic: nicIndex, section, key }));
    };
    for (const k of be) consider('beparams', k, inst.beparams, incomingBe);
    for (const k of hv) consider('hvparams', k, inst.hvparams, incomingHv);
    inst.nics.forEach((n, i) => {
      for (const k of nic) consider('nicparams', k, n.nicparams, incomingNic, i);
    });
    if (unpinned.length > 0) {
      f.warn('W_EFFECTIVE_PARAM_CHANGE', `instance ${inst.name} inherits target defaults for ${unpinned.join(', ')}`, source, [`instances.${inst.uuid}`]);
    }
  }
  return pins;
}

/** Writes the planned pins (the instances are the merge's own copies) and records them. */
export function applyInstancePins(pins: InstancePin[], source: string, report: MergeReport): void {
  for (const pin of pins) {
    const holder: JsonObject = pin.nic === undefined ? pin.instance : pin.instance.nics[pin.nic];
    const existing = holder[pin.section];
    const params = isJsonObject(existing) ? existing : (holder[pin.section] = {});
    // A copy: with consumeInputs the value still belongs to the incoming cluster's defaults.
    params[pin.key] = cloneJson(pin.value);
    const record: InstancePinRecord = { source, instance: pin.instance.name, param: pinPath(pin), value: pin.value };
    report.pinnedInstanceParams.push(record);
  }
}
