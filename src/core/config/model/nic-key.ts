/**
 * NIC parameter filling and the NIC IP identity of namespace U8 / invariant I-27:
 * "<mode>:<link>/<ip>/<network uuid or None>" with mode and link taken from the NIC's
 * nicparams filled with the cluster's nicparams.default (as Ganeti's verifier does).
 */
import type { Json, JsonObject } from '../types';
import { normalizeIp } from './ipaddr';

export const NIC_MODES = ['bridged', 'routed', 'openvswitch'] as const;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The cluster's `nicparams.default` (empty when absent). */
export function clusterNicDefaults(cluster: JsonObject): JsonObject {
  const nicparams = cluster.nicparams;
  return isObject(nicparams) && isObject(nicparams.default) ? nicparams.default : {};
}

/** The NIC's nicparams over the cluster defaults (Ganeti's FillDict). */
export function effectiveNicParams(nic: JsonObject, defaults: JsonObject): { [key: string]: Json } {
  return { ...defaults, ...(isObject(nic.nicparams) ? nic.nicparams : {}) };
}

/** One filled NIC parameter, as effectiveNicParams(nic, defaults)[key] without building the object. */
export function effectiveNicParam(nic: JsonObject, defaults: JsonObject, key: string): Json | undefined {
  const own = nic.nicparams;
  if (isObject(own) && Object.prototype.hasOwnProperty.call(own, key)) return own[key];
  return Object.prototype.hasOwnProperty.call(defaults, key) ? defaults[key] : undefined;
}

/** The U8 key, or undefined for a NIC without an IP. */
export function nicIpKey(nic: JsonObject, defaults: JsonObject, networkOverride?: string): string | undefined {
  if (typeof nic.ip !== 'string' || nic.ip === '') return undefined;
  const mode = effectiveNicParam(nic, defaults, 'mode');
  const link = effectiveNicParam(nic, defaults, 'link');
  const network = networkOverride ?? (typeof nic.network === 'string' && nic.network !== '' ? nic.network : 'None');
  return `${String(mode)}:${String(link)}/${normalizeIp(nic.ip)}/${network}`;
}
