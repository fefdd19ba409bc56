/**
 * The merge plan as a document (Markdown: the editor opens it next to the approval diff, and
 * `plan --format md`; HTML inside the report) and as JSON (`--format json`). Each item names
 * where it shows in the raw diff of config.data (the objects the merge's findings name, or the
 * new value); a Markdown preview cannot link to a line of a diff editor, so the place is given
 * as text to search for.
 */
import { showValue } from '../config/json/values';
import type { Finding, Json } from '../config/types';
import { heading, list, para, renderMarkdown, type Block, type Inline, type Line } from './document';
import type { MergePlan } from './merge-plan';

const where = (...places: string[]): Inline[] => (places.length ? [' — in the diff: ', ...places.slice(0, 5).flatMap((p, i) => [...(i ? [', '] : []), { code: p }])] : []);

function finding(f: Finding): Line {
  return [{ strong: f.code }, f.source ? ` (${f.source})` : '', `: ${f.message}`, ...where(...(f.objects ?? []))];
}

const names = (label: string, items: readonly string[]): Line => [`${label} (${items.length}): ${items.length ? items.join(', ') : 'none'}`];

export function planBlocks(p: MergePlan): Block[] {
  const o = p.options;
  const t = p.target;
  const blocks: Block[] = [
    heading(1, `Merge plan ${p.id}`),
    para('Target ', { strong: t.name }, ` (master ${t.master}, Ganeti ${t.version}): ${t.nodes} node(s), ${t.instances} instance(s), ${t.groups} group(s).`),
    para(`Options: groups ${o.groups}, params ${o.params}, restart ${o.restart}, stop instances ${o.stopInstances}, watcher pause ${o.watcherPauseSeconds} s, concurrency ${o.concurrency}`
      + `${o.ignoredVerifyCodes.length ? `, ignored verify codes ${o.ignoredVerifyCodes.join(', ')}` : ''}.`),
  ];
  if (p.missing.length) blocks.push(para({ strong: 'Not in this journal:' }), list(p.missing.map((m) => [m])));
  blocks.push(heading(2, 'Added'));
  for (const a of p.added) {
    blocks.push(heading(3, `From ${a.cluster}`), list([names('nodes', a.nodes), names('instances', a.instances), names('groups', a.groups), names('networks', a.networks)]));
  }
  blocks.push(heading(2, 'Merged or renamed'), list([
    ...p.renamed.map((r): Line => [`${r.kind} ${r.from} of ${r.cluster} renamed to `, { strong: r.to }, ...where(r.to)]),
    ...p.absorbed.map((a): Line => [`${a.kind} ${a.name} of ${a.cluster} merged into `, { code: a.into }]),
  ]));
  blocks.push(heading(2, 'Re-allocated'), heading(3, 'DRBD ports'), para('DRBD minors are numbered per node, and every mergee node is new to the target: the merge keeps them.'),
    list(p.drbdPorts.map((d): Line => [`disk ${d.disk}${d.instance ? ` of ${d.instance}` : ''} (${d.source}): ${d.from} → `, { strong: String(d.to) }, ...where(d.disk)])));
  blocks.push(heading(3, 'Console ports'),
    list(p.consolePorts.map((c): Line => [`${c.instance} (${c.source}): ${c.from} → `, { strong: String(c.to) }, ...where('network_port')])));
  blocks.push(heading(3, 'MAC addresses'),
    list(p.macs.map((m): Line => [`${m.instance} NIC ${m.nic} (${m.source}): ${m.from} → `, { strong: m.to }, ...where(m.to)])));
  blocks.push(heading(2, `Parameter differences (policy: ${p.parameters.policy})`), list(p.parameters.differences.map(finding)));
  if (p.parameters.pinned.length) {
    blocks.push(para('Pinned, so that the merged defaults do not change them:'),
      list(p.parameters.pinned.map((x): Line => [`${x.object} ${x.name} (${x.cluster}): `, { code: `${x.param} = ${showValue(x.value as Json)}` }])));
  }
  blocks.push(heading(2, 'Instances stopped, and why'), para(`Stop policy: ${o.stopInstances}.`),
    list(p.stops.filter((s) => s.running).map((s): Line => (s.stop
      ? [{ strong: 'stopped' }, `: ${s.instance} (${s.cluster}) — ${s.reasons.length ? s.reasons.join('; ') : `policy ${o.stopInstances}`}`]
      : [`kept running: ${s.instance} (${s.cluster})`])), 'no instance is running'));
  blocks.push(heading(2, 'Other findings'), list([
    ...p.nodesForcedOffline.map((n): Line => [`node ${n} is added offline, then re-added`]),
    ...(p.droppedFilters ? [[`${p.droppedFilters} filter rule(s) dropped`]] : []),
    ...p.addedDiskTemplates.map((d): Line => [`disk template ${d} enabled on the target`]),
    ...p.findings.map(finding),
  ]));
  blocks.push(para('Places "in the diff" are text to search for in the approval diff: a Markdown preview cannot link to a line of a diff editor.'));
  return blocks;
}

export function renderPlanMarkdown(p: MergePlan): string {
  return renderMarkdown(planBlocks(p));
}

export function renderPlanJson(p: MergePlan): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}
