/**
 * The merge plan as a document (Markdown: `plan --format md`; HTML inside the report; the
 * editor's plan panel renders the same blocks) and as JSON (`--format json`). Each item names
 * where it shows in the raw diff of config.data (the objects the merge's findings name, or the
 * new value) as text to search for, and carries that place (config-place.ts) for the editor,
 * whose plan links it to the line of the diff; a Markdown preview cannot link to a diff editor.
 */
import { showValue } from '../config/json/values';
import type { ConfigPlace, ConfigSection } from '../config/config-place';
import type { Finding, Json } from '../config/types';
import { heading, list, para, renderMarkdown, type Block, type Inline, type Line } from './document';
import type { MergePlan } from './merge-plan';

const where = (...places: string[]): Inline[] => (places.length ? [' — in the diff: ', ...places.slice(0, 5).flatMap((p, i) => [...(i ? [', '] : []), { code: p }])] : []);

function finding(f: Finding): Line {
  const code: Inline = f.objects?.length ? { strong: f.code, place: { objects: f.objects } } : { strong: f.code };
  return [code, f.source ? ` (${f.source})` : '', `: ${f.message}`, ...where(...(f.objects ?? []))];
}

const named = (section: ConfigSection, name: string, more: { key?: string; value?: string } = {}): ConfigPlace => ({ section, name, ...more });
const sectionOf = (kind: 'group' | 'network'): ConfigSection => (kind === 'group' ? 'nodegroups' : 'networks');

/** "label (n): a, b": each name its own run of text, linked to its object in the merged config. */
function names(label: string, items: readonly string[], place: (name: string) => ConfigPlace): Line {
  if (!items.length) return [`${label} (0): none`];
  return [`${label} (${items.length}): `, ...items.flatMap((name, i): Inline[] => [...(i ? [', '] : []), { text: name, place: place(name) }])];
}

/** A node's pins go into its ndparams; an instance's param is a path ("beparams.maxmem", "nics[0].nicparams.link"). */
const pinnedPlace = (x: MergePlan['parameters']['pinned'][number]): ConfigPlace =>
  (x.object === 'node' ? named('nodes', x.name, { key: 'ndparams' }) : named('instances', x.name, { key: x.param.split(/[.[]/)[0] }));

export interface PlanBlockOptions {
  /** The reader can follow each item's place (the editor's plan panel): no note on searching the diff. */
  readonly linked?: boolean;
}

export function planBlocks(p: MergePlan, options: PlanBlockOptions = {}): Block[] {
  const o = p.options;
  const t = p.target;
  // an added group or network may be renamed, or merged into one of the target's, in the merged config
  const mergedName = (kind: 'group' | 'network', cluster: string, name: string): string =>
    p.renamed.find((r) => r.kind === kind && r.cluster === cluster && r.from === name)?.to
    ?? p.absorbed.find((a) => a.kind === kind && a.cluster === cluster && a.name === name)?.into ?? name;
  const blocks: Block[] = [
    heading(1, `Merge plan ${p.id}`),
    para('Target ', { strong: t.name }, ` (master ${t.master}, Ganeti ${t.version}): ${t.nodes} node(s), ${t.instances} instance(s), ${t.groups} group(s).`),
    para(`Options: groups ${o.groups}, params ${o.params}, restart ${o.restart}, stop instances ${o.stopInstances}, watcher pause ${o.watcherPauseSeconds} s, concurrency ${o.concurrency}`
      + `${o.ignoredVerifyCodes.length ? `, ignored verify codes ${o.ignoredVerifyCodes.join(', ')}` : ''}.`),
  ];
  if (p.missing.length) blocks.push(para({ strong: 'Not in this journal:' }), list(p.missing.map((m) => [m])));
  blocks.push(heading(2, 'Added'));
  for (const a of p.added) {
    blocks.push(heading(3, `From ${a.cluster}`), list([
      names('nodes', a.nodes, (n) => named('nodes', n)),
      names('instances', a.instances, (n) => named('instances', n)),
      names('groups', a.groups, (n) => named('nodegroups', mergedName('group', a.cluster, n))),
      names('networks', a.networks, (n) => named('networks', mergedName('network', a.cluster, n))),
    ]));
  }
  blocks.push(heading(2, 'Merged or renamed'), list([
    ...p.renamed.map((r): Line => [`${r.kind} ${r.from} of ${r.cluster} renamed to `, { strong: r.to, place: named(sectionOf(r.kind), r.to) }, ...where(r.to)]),
    ...p.absorbed.map((a): Line => [`${a.kind} ${a.name} of ${a.cluster} merged into `, { code: a.into, place: named(sectionOf(a.kind), a.into) }]),
  ]));
  blocks.push(heading(2, 'Re-allocated'), heading(3, 'DRBD ports'), para('DRBD minors are numbered per node, and every mergee node is new to the target: the merge keeps them.'),
    list(p.drbdPorts.map((d): Line => [`disk ${d.disk}${d.instance ? ` of ${d.instance}` : ''} (${d.source}): ${d.from} → `, { strong: String(d.to), place: { section: 'disks', uuid: d.disk, value: String(d.to) } }, ...where(d.disk)])));
  blocks.push(heading(3, 'Console ports'),
    list(p.consolePorts.map((c): Line => [`${c.instance} (${c.source}): ${c.from} → `, { strong: String(c.to), place: named('instances', c.instance, { key: 'network_port' }) }, ...where('network_port')])));
  blocks.push(heading(3, 'MAC addresses'),
    list(p.macs.map((m): Line => [`${m.instance} NIC ${m.nic} (${m.source}): ${m.from} → `, { strong: m.to, place: named('instances', m.instance, { value: JSON.stringify(m.to) }) }, ...where(m.to)])));
  blocks.push(heading(2, `Parameter differences (policy: ${p.parameters.policy})`), list(p.parameters.differences.map(finding)));
  if (p.parameters.pinned.length) {
    blocks.push(para('Pinned, so that the merged defaults do not change them:'),
      list(p.parameters.pinned.map((x): Line => [`${x.object} ${x.name} (${x.cluster}): `, { code: `${x.param} = ${showValue(x.value as Json)}`, place: pinnedPlace(x) }])));
  }
  blocks.push(heading(2, 'Instances stopped, and why'), para(`Stop policy: ${o.stopInstances}.`),
    list(p.stops.filter((s) => s.running).map((s): Line => (s.stop
      ? [{ strong: 'stopped' }, ': ', { text: s.instance, place: named('instances', s.instance) }, ` (${s.cluster}) — ${s.reasons.length ? s.reasons.join('; ') : `policy ${o.stopInstances}`}`]
      : ['kept running: ', { text: s.instance, place: named('instances', s.instance) }, ` (${s.cluster})`])), 'no instance is running'));
  blocks.push(heading(2, 'Other findings'), list([
    ...p.nodesForcedOffline.map((n): Line => ['node ', { text: n, place: named('nodes', n, { key: 'offline' }) }, ' is added offline, then re-added']),
    ...(p.droppedFilters ? [[`${p.droppedFilters} filter rule(s) dropped`]] : []),
    ...p.addedDiskTemplates.map((d): Line => ['disk template ', { text: d, place: { objects: ['cluster.enabled_disk_templates'] } }, ' enabled on the target']),
    ...p.findings.map(finding),
  ]));
  if (!options.linked) blocks.push(para('Places "in the diff" are text to search for in the approval diff: a Markdown preview cannot link to a line of a diff editor.'));
  return blocks;
}

export function renderPlanMarkdown(p: MergePlan): string {
  return renderMarkdown(planBlocks(p));
}

export function renderPlanJson(p: MergePlan): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}
