/** NIC IP identity and network reservations: I-27 (U8) and I-29. */
import { type Lazy, type VerifyContext, describeObject, forEachNic, has, obj, resolve } from './context';
import { clusterNicDefaults, effectiveNicParam, NIC_MODES, nicIpKey } from '../model/nic-key';
import { ipv4IndexInNetwork, parseIpv4Cidr, type Ipv4Cidr } from '../model/ipaddr';
import type { JsonObject } from '../types';

const VALID_MODES = new Set<string>(NIC_MODES);
const BIT_STRING = /^[01]*$/;

export function checkNicIps(ctx: VerifyContext): void {
  const defaults = clusterNicDefaults(ctx.cluster);
  const keyOwner = new Map<string, Lazy>();
  forEachNic(ctx, (nic, index, inst, uuid) => {
    const lazyWho = (): string => `${describeObject('instance', inst, uuid)} NIC ${index}`;
    const mode = effectiveNicParam(nic, defaults, 'mode');
    if (typeof mode !== 'string' || !VALID_MODES.has(mode)) {
      const nicWho = lazyWho();
      ctx.fail('I-27', `${nicWho} has nic mode ${JSON.stringify(mode ?? null)}; expected one of ${NIC_MODES.join(', ')}`, [nicWho]);
    } else if (mode === 'bridged') {
      const link = effectiveNicParam(nic, defaults, 'link');
      if (typeof link !== 'string' || link === '') {
        const nicWho = lazyWho();
        ctx.fail('I-27', `${nicWho} is bridged but has no link`, [nicWho]);
      }
    }
    const key = nicIpKey(nic, defaults);
    if (key === undefined) return;
    const earlier = keyOwner.get(key);
    if (earlier === undefined) {
      keyOwner.set(key, lazyWho);
      return;
    }
    const [a, b] = [resolve(earlier), lazyWho()];
    ctx.fail('I-27', `NIC IP ${key} used by ${a} and ${b}`, [a, b]);
  });
}

export function checkNetworkReservations(ctx: VerifyContext): void {
  const c = ctx.config as JsonObject;
  const networks = obj(c.networks);
  const cidrs = new Map<string, Ipv4Cidr>();
  for (let at = 0, all = ctx.entries('networks'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const net = all.values[at];
    const who = describeObject('network', net, uuid);
    const cidr = typeof net.network === 'string' ? parseIpv4Cidr(net.network) : undefined;
    if (!cidr) {
      ctx.fail('I-29', `${who} has network ${JSON.stringify(net.network ?? null)}, which is not an IPv4 CIDR`, [who]);
      continue;
    }
    cidrs.set(uuid, cidr);
    for (const field of ['reservations', 'ext_reservations']) {
      const bits = net[field];
      if (bits === undefined) continue;
      if (typeof bits !== 'string' || !BIT_STRING.test(bits) || bits.length !== cidr.size) {
        const got = typeof bits === 'string' ? `${bits.length} characters` : JSON.stringify(bits);
        ctx.fail('I-29', `${who}.${field} must be a string of ${cidr.size} '0'/'1' characters for ${String(net.network)}, got ${got}`, [who]);
      }
    }
  }
  forEachNic(ctx, (nic, index, inst, uuid) => {
    if (typeof nic.ip !== 'string' || nic.ip === '' || typeof nic.network !== 'string') return;
    const cidr = cidrs.get(nic.network);
    if (!cidr || !has(networks, nic.network)) return;
    const net = networks[nic.network] as JsonObject;
    const bit = ipv4IndexInNetwork(cidr, nic.ip);
    const bits = net.reservations;
    const outside = bit === undefined;
    if (!outside && !(typeof bits === 'string' && bits.length === cidr.size && bits.charCodeAt(bit) !== 0x31)) return;
    // Only NICs with a finding get descriptions.
    const nicWho = `${describeObject('instance', inst, uuid)} NIC ${index}`;
    const netWho = describeObject('network', net, nic.network);
    if (outside) ctx.fail('I-29', `${nicWho} has IP ${nic.ip}, which is outside ${netWho} ${String(net.network)}`, [nicWho, netWho]);
    else ctx.fail('I-29', `${nicWho} has IP ${nic.ip} but its bit is not set in ${netWho}.reservations`, [nicWho, netWho]);
  });
}
