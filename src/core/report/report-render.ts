/** The merge report as Markdown, HTML (one document model, document.ts) or JSON. */
import { heading, list, nested, para, renderHtml, renderMarkdown, table, type Block, type Line } from './document';
import { isoTime, seconds } from './markup';
import type { MergeReportDocument, ReportInventory } from './merge-report';
import { planBlocks } from './plan-render';

export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function inventoryBlocks(inv: ReportInventory): Block[] {
  return [
    para(`Nodes (${inv.nodes.length}), groups: ${inv.groups.join(', ') || 'not recorded'}; networks: ${inv.networks.join(', ') || 'none recorded'}.`),
    table(['node', 'group', 'offline'], inv.nodes.map((n) => [n.name, n.group, n.offline ? 'yes' : 'no'])),
    table(['instance', 'status', 'primary node'], inv.instances.map((i) => [i.name, i.status, i.primaryNode])),
  ];
}

export function reportBlocks(r: MergeReportDocument): Block[] {
  const o = r.origin;
  const blocks: Block[] = [
    heading(1, `Merge report ${r.id}`),
    list([
      ['Outcome: ', { strong: r.outcome ?? 'not finished' }],
      [`Started ${isoTime(r.createdAt)}, last change ${isoTime(r.updatedAt)}, report generated ${isoTime(r.generatedAt)}`],
      o ? [`Run by ${o.user} on ${o.host} (${o.frontEnd}, ganeti-merge ${o.version}, pid ${o.pid}), working directory `, { code: o.cwd }] : ['Run by: not recorded'],
      [`Target ${r.options.target}; mergees ${r.options.mergees.join(', ')}`],
      [`Options: groups ${r.options.groups}, params ${r.options.params}, restart ${r.options.restart}, stop instances ${r.options.stopInstances}, `
        + `watcher pause ${r.options.watcherPauseSeconds} s, concurrency ${r.options.concurrency}, ignored verify codes ${r.options.ignoredVerifyCodes.join(', ') || 'none'}`],
    ]),
  ];
  if (r.missing.length) blocks.push(para({ strong: 'Not in the journal:' }), list(r.missing.map((m): Line => [m])));
  blocks.push(heading(2, 'Phases'), table(['phase', 'state', 'started', 'ended', 'seconds', 'commands', 'error'],
    r.phases.map((p) => [p.title, p.state, isoTime(p.startedAt), isoTime(p.finishedAt), p.startedAt && p.finishedAt ? seconds(p.finishedAt - p.startedAt) : '', String(p.commands), p.error ?? ''])));
  blocks.push(heading(2, 'Verify'), list(r.verify.map((v): Line => [`${v.phase}: `, { strong: v.state }, v.error ? ` — ${v.error}` : ''])));
  if (r.rollback) {
    const rb = r.rollback;
    blocks.push(heading(2, 'Rollback'), list([
      ['State: ', { strong: rb.state }],
      [`Started ${isoTime(rb.startedAt)}${rb.finishedAt ? `, ended ${isoTime(rb.finishedAt)}` : ''}`],
      [`Full restore of every node: ${rb.fullRestoreDone ? 'done' : 'not needed or not done'}`],
      ...(rb.error ? [[`Error: ${rb.error}`]] : []),
    ]));
  }
  blocks.push(heading(2, 'Inventory before the merge'));
  for (const inv of r.before) blocks.push(heading(3, inv.cluster), ...inventoryBlocks(inv));
  if (r.after && r.diff) {
    const d = r.diff;
    blocks.push(heading(2, `Inventory after the merge (${isoTime(r.after.at)})`), heading(3, r.after.cluster), ...inventoryBlocks(r.after),
      heading(3, 'Difference'), list([
        [`nodes added to ${r.after.cluster}: ${d.nodesAdded.join(', ') || 'none'}`],
        [`nodes missing: ${d.nodesMissing.join(', ') || 'none'}`],
        [`instances added: ${d.instancesAdded.join(', ') || 'none'}`],
        [`instances missing: ${d.instancesMissing.join(', ') || 'none'}`],
        [`run state changed: ${d.instancesChanged.join('; ') || 'none'}`],
      ]));
  }
  blocks.push(heading(2, `Remote commands (${r.commands.length})`),
    table(['started', 'phase', 'host', 'command (secrets redacted)', 'exit', 'seconds'],
      r.commands.map((c) => [c.startedAt, `${c.phase ?? ''}${c.rollback ? ' (rollback)' : ''}`, c.host, c.argv.join(' '),
        c.exitCode === null ? (c.signal ?? c.error ?? 'none') : String(c.exitCode), seconds(c.durationMs)])));
  if (r.inFlight.length) {
    blocks.push(heading(3, 'Sent and never known to have returned'), table(['sent', 'phase', 'host', 'command'], r.inFlight.map((c) => [isoTime(c.sentAt), c.phase, c.host, c.command])));
  }
  if (r.plan) blocks.push(heading(2, 'The plan'), ...nested(nested(planBlocks(r.plan))));
  return blocks;
}

export function renderReport(r: MergeReportDocument, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  const blocks = reportBlocks(r);
  return format === 'md' ? renderMarkdown(blocks) : renderHtml(`Merge report ${r.id}`, blocks);
}
