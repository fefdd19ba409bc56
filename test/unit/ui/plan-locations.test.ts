/**
 * Each kind of merge-plan item lands on its object's line in the printed merged config (the line
 * the editor's plan panel reveals in the diff): a real merge of two generated clusters that
 * collide on group names, MACs and DRBD/console ports, with running instances and pinned defaults.
 */
import * as assert from 'node:assert/strict';
import type { ConfigPlace } from '../../../src/core/config/config-place';
import { mergeConfigs } from '../../../src/core/config/merge';
import { canonicalPrint } from '../../../src/core/config/print';
import type { GanetiConfig } from '../../../src/core/config/types';
import type { ClusterFacts } from '../../../src/core/merger/facts';
import type { JournalDocument } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import type { Block, Inline } from '../../../src/core/report/document';
import { buildMergePlan, type MergePlan } from '../../../src/core/report/merge-plan';
import { planBlocks, renderPlanMarkdown } from '../../../src/core/report/plan-render';
import { isPlanWebviewToHost } from '../../../src/plan-protocol';
import { findingLine, placeLine } from '../../../src/ui/finding-location';
import { linkedPlan } from '../../../src/ui/plan-view';
import { generateCluster } from '../config/generator';
import { NOW } from '../config/merge-helpers';

const shape = { nodes: 2, instancesPerNode: 2, seed: 7, drbdFraction: 1, networkPortFraction: 1, withNetwork: true, macPrefix: 'aa:00:01' };

function facts(c: GanetiConfig, running: boolean): ClusterFacts {
  const name = String(c.cluster.cluster_name);
  return {
    given: name, name, uuid: `u-${name}`, master: Object.values(c.nodes)[0].name, version: '3.0.2', major: 3,
    nodes: Object.values(c.nodes).map((n) => ({ name: n.name, offline: false, role: 'regular' as const, group: 'default' })),
    instances: Object.values(c.instances).map((i) => ({ name: i.name, status: running ? 'running' as const : 'ADMIN_down' as const, primaryNode: 'node1', running })),
    groups: Object.values(c.nodegroups).map((g) => ({ name: g.name, uuid: g.uuid, nodeCount: 1, allocPolicy: 'preferred' })),
    networks: Object.values(c.networks).map((n) => String(n.name)),
  };
}

/** The plan of a real merge, and the merged config printed as the diff shows it. */
function mergedPlan(): { plan: MergePlan; lines: string[]; merged: GanetiConfig; target: GanetiConfig } {
  const target = generateCluster({ name: 'alpha', ...shape });
  const mergee = generateCluster({ name: 'beta', ...shape });
  const source = String(mergee.cluster.cluster_name);
  // differing cluster defaults: a parameter difference, and pins that keep the mergee's effective values
  (mergee.cluster.beparams as { default: { maxmem: number } }).default.maxmem = 256;
  (mergee.cluster.ndparams as { spindle_count: number }).spindle_count = 2;
  const result = mergeConfigs(target, [{ config: mergee, source }],
    { now: NOW, groups: 'rename', params: 'warn', regenerateMacs: true, pinNodeParams: true, pinDefaults: true, extendDiskTemplates: true }, 'target');
  assert.ok(result.ok && result.merged, JSON.stringify(result.report.errors));
  const doc = {
    id: 'plan-test', options: { ...DEFAULT_PLAN_OPTIONS, groups: 'rename', params: 'warn' },
    facts: {
      target: facts(target, false), mergees: [facts(mergee, true)], mergeSummary: 'summary', mergeReport: result.report,
      instanceStops: Object.values(mergee.instances).map((i, k) => ({ cluster: source, instance: i.name, stop: k % 2 === 0, reasons: k % 2 === 0 ? ['DRBD port changes'] : [] })),
    },
  } as unknown as JournalDocument;
  const plan = buildMergePlan(doc)!;
  // printed as the approval diff shows it: each map's new objects first (merge preview)
  return { plan, merged: result.merged, target, lines: canonicalPrint(result.merged, { maskSecrets: true, newKeysFirstAgainst: target }).split('\n') };
}

/** Every linked run of text of the plan's blocks, with the heading it is under. */
function links(blocks: readonly Block[]): { heading: string; text: string; place: ConfigPlace }[] {
  const out: { heading: string; text: string; place: ConfigPlace }[] = [];
  let heading = '';
  const text = (i: Exclude<Inline, string>) => ('text' in i ? i.text : 'strong' in i ? i.strong : i.code);
  for (const b of blocks) {
    if (b.kind === 'heading') heading = b.text;
    const lines = b.kind === 'list' ? b.items : b.kind === 'para' ? [b.line] : [];
    for (const line of lines) for (const i of line) if (typeof i !== 'string' && i.place) out.push({ heading, text: text(i), place: i.place });
  }
  return out;
}

const indentOf = (l: string) => l.length - l.trimStart().length;

/** The key of the enclosing block at `indent` (the section at 2, the object's uuid at 4). */
function owner(lines: readonly string[], at: number, indent: number): string {
  for (let i = at; i >= 0; i--) if (indentOf(lines[i]) === indent && lines[i].trimEnd().endsWith('{')) return JSON.parse(lines[i].trim().replace(/: \{$/, '')) as string;
  return '';
}

describe('plan item locations in the printed merged config', () => {
  const { plan, lines, merged, target } = mergedPlan();
  const all = links(planBlocks(plan, { linked: true }));
  const under = (heading: string) => all.filter((l) => l.heading.startsWith(heading));
  const uuidOf = (section: 'nodes' | 'instances' | 'nodegroups' | 'networks', name: string) =>
    Object.values(merged[section] as Record<string, { name?: unknown; uuid: string }>).find((o) => o.name === name)?.uuid;

  it('the merge has every kind of item to place', () => {
    assert.ok(plan.renamed.some((r) => r.kind === 'group'), 'no renamed group');
    for (const [what, n] of [['DRBD ports', plan.drbdPorts.length], ['console ports', plan.consolePorts.length], ['MACs', plan.macs.length],
      ['parameter differences', plan.parameters.differences.length], ['stops', plan.stops.length], ['added networks', plan.added[0].networks.length]] as const) {
      assert.ok(n > 0, `the merge has no ${what}`);
    }
  });

  it('printed one object per line (a big config): every section place lands on its object\'s one line, a finding on its line', () => {
    const compact = canonicalPrint(merged, { maskSecrets: true, objectPerLine: true, newKeysFirstAgainst: target }).split('\n');
    const placed = all.filter((l) => 'section' in l.place);
    assert.ok(placed.length > 10, `only ${placed.length} section places`);
    for (const link of placed) {
      const place = link.place as Extract<ConfigPlace, { section: string }>;
      const at = placeLine(compact, place);
      const line = compact[at];
      assert.ok(line.startsWith('    "') && !line.endsWith('{'), `${link.text}: line ${at} is no one-line object: ${line.slice(0, 80)}`);
      assert.equal(owner(compact, at, 2), place.section, `${link.text} is placed outside ${place.section}`);
      const object = JSON.parse(line.slice(line.indexOf(': ') + 2).replace(/,$/, '')) as { name?: string; uuid?: string };
      if (place.uuid !== undefined) assert.ok(line.startsWith(`    ${JSON.stringify(place.uuid)}: {`), link.text);
      else assert.equal(object.name, place.name, `${link.text}: another object's line`);
    }
    const difference = plan.parameters.differences.find((d) => d.objects?.some((o) => o.startsWith('cluster.')));
    assert.ok(difference, 'no cluster parameter difference');
    assert.match(compact[findingLine(compact, difference)], /^ {4}"[a-z_]+": /, `a parameter difference is not on its parameter's line: ${JSON.stringify(difference.objects)} -> ${compact[findingLine(compact, difference)].slice(0, 100)}`);
  });

  it('an added node, instance, group or network: the "name" line of that object in its section', () => {
    const added = under('From ');
    const mergeeNames = [...plan.added[0].nodes, ...plan.added[0].instances, ...plan.added[0].groups, ...plan.added[0].networks];
    assert.equal(added.length, mergeeNames.length);
    for (const link of added) {
      assert.ok('section' in link.place && link.place.name);
      const at = placeLine(lines, link.place);
      assert.equal(lines[at].trim().replace(/,$/, ''), `"name": ${JSON.stringify(link.place.name)}`, link.text);
      assert.equal(owner(lines, at, 2), link.place.section, `${link.text} is placed outside ${link.place.section}`);
      assert.equal(owner(lines, at, 4), uuidOf(link.place.section as 'nodes', link.place.name), `${link.text}: another object's line`);
    }
    // the mergee's group "default" is renamed: its link goes to the renamed group, not the target's own "default"
    const group = added.find((l) => l.text === 'default')!;
    const renamed = plan.renamed.find((r) => r.kind === 'group' && r.from === 'default')!;
    assert.equal(lines[placeLine(lines, group.place)].trim().replace(/,$/, ''), `"name": ${JSON.stringify(renamed.to)}`);
  });

  it('a renamed group: the renamed group\'s line', () => {
    const [link] = under('Merged or renamed');
    assert.ok(link);
    const at = placeLine(lines, link.place);
    assert.match(lines[at], new RegExp(`"name": "${plan.renamed[0].to}"`));
    assert.equal(owner(lines, at, 2), 'nodegroups');
  });

  // each re-allocation: the line holding the new value (a bare array element for a DRBD port), in its object
  const reallocations = () => [
    { heading: 'DRBD ports', records: plan.drbdPorts.map((d) => ({ line: String(d.to), object: d.disk, section: 'disks' })) },
    { heading: 'Console ports', records: plan.consolePorts.map((c) => ({ line: `"network_port": ${c.to}`, object: uuidOf('instances', c.instance), section: 'instances' })) },
    { heading: 'MAC addresses', records: plan.macs.map((m) => ({ line: `"mac": "${m.to}"`, object: uuidOf('instances', m.instance), section: 'instances' })) },
  ];
  for (const heading of ['DRBD ports', 'Console ports', 'MAC addresses']) {
    it(`a re-allocated value (${heading}): the new value's line in its disk or instance`, () => {
      const { records } = reallocations().find((r) => r.heading === heading)!;
      const placed = under(heading);
      assert.equal(placed.length, records.length);
      for (const [k, link] of placed.entries()) {
        const at = placeLine(lines, link.place);
        assert.equal(lines[at].trim().replace(/,$/, ''), records[k].line);
        assert.equal(owner(lines, at, 4), records[k].object, 'the line is in another object');
        assert.equal(owner(lines, at, 2), records[k].section);
      }
    });
  }

  it('a parameter difference: the line the finding names (the same line as its problem in the diff)', () => {
    const diffs = under('Parameter differences').filter((l) => 'objects' in l.place);
    assert.ok(diffs.length > 0);
    for (const link of diffs) {
      const f = plan.parameters.differences.find((d) => d.code === link.text && d.objects === ('objects' in link.place ? link.place.objects : undefined))!;
      const at = placeLine(lines, link.place);
      assert.equal(at, findingLine(lines, f));
      assert.ok(at > 0, `${f.code} ${f.objects?.join(', ')} is not in the printed config`);
    }
    const prefix = diffs.find((l) => 'objects' in l.place && l.place.objects.includes('cluster.mac_prefix'));
    if (prefix) assert.match(lines[placeLine(lines, prefix.place)], /"mac_prefix":/);
  });

  it('a pinned parameter: the pinned key of that node or instance', () => {
    const pinned = under('Parameter differences').filter((l) => 'section' in l.place);
    assert.equal(pinned.length, plan.parameters.pinned.length);
    assert.ok(pinned.length > 0, 'the merge pinned nothing');
    for (const [k, link] of pinned.entries()) {
      const p = plan.parameters.pinned[k];
      const at = placeLine(lines, link.place);
      assert.match(lines[at], new RegExp(`^ {6}"${p.object === 'node' ? 'ndparams' : p.param.split(/[.[]/)[0]}": `));
      assert.equal(owner(lines, at, 4), uuidOf(p.object === 'node' ? 'nodes' : 'instances', p.name));
    }
  });

  it('an instance stopped (or kept running): that instance\'s name line', () => {
    const stops = under('Instances stopped');
    assert.equal(stops.length, plan.stops.filter((s) => s.running).length);
    for (const link of stops) {
      const at = placeLine(lines, link.place);
      assert.equal(lines[at].trim().replace(/,$/, ''), `"name": ${JSON.stringify(link.text)}`);
      assert.equal(owner(lines, at, 2), 'instances');
    }
  });

  it('a node forced offline: its offline flag; a place the config lacks: the first line', () => {
    for (const link of under('Other findings').filter((l) => 'section' in l.place && l.place.key === 'offline')) {
      const at = placeLine(lines, link.place);
      assert.match(lines[at], /^ {6}"offline": /);
      assert.equal(owner(lines, at, 4), uuidOf('nodes', link.text));
    }
    assert.equal(placeLine(lines, { section: 'nodes', name: 'no-such-node' }), 0);
    assert.equal(placeLine(lines, { section: 'instances', uuid: 'no-such-uuid' }), 0);
  });

  it('the Markdown keeps its note on searching the diff; the linked blocks drop it', () => {
    assert.match(renderPlanMarkdown(plan), /text to search for in the approval diff/);
    assert.ok(!JSON.stringify(planBlocks(plan, { linked: true })).includes('text to search for'));
  });
});

describe('the plan panel\'s view of the plan (plan-view.ts)', () => {
  const { plan } = mergedPlan();
  const HOSTILE = '<img src=x onerror=alert(1)>[x](command:evil)';

  it('numbers each linked run; the host keeps its place, the view only the number; names stay plain text', () => {
    const hostile: MergePlan = { ...plan, stops: [...plan.stops, { cluster: 'beta', instance: HOSTILE, running: true, stop: true, reasons: [] }] };
    const { blocks, places } = linkedPlan(hostile);
    const runs = blocks.flatMap((b) => (b.kind === 'list' ? b.items.flat() : b.kind === 'para' ? b.runs : []));
    const linked = runs.filter((r) => r.link !== undefined);
    assert.deepEqual(linked.map((r) => r.link), places.map((_p, i) => i));
    assert.deepEqual(places, links(planBlocks(hostile, { linked: true })).map((l) => l.place));
    const run = runs.find((r) => r.text === HOSTILE);
    assert.ok(run && run.link !== undefined, 'the hostile instance is not a linked run of its own');
    assert.deepEqual(places[run.link], { section: 'instances', name: HOSTILE });
    assert.ok(!JSON.stringify(blocks).includes('"section"'), 'a place reached the webview');
  });

  it('a name that breaks a line or reorders text (bidi override) reaches the webview escaped, as in Markdown and HTML; its place keeps the name', () => {
    const forged = 'web1\n\u202egpj.exe\u001b[2J';
    const hostile: MergePlan = {
      ...plan,
      added: [...plan.added, { cluster: forged, nodes: [], instances: [], groups: [], networks: [] }],
      stops: [...plan.stops, { cluster: 'beta', instance: forged, running: true, stop: true, reasons: [forged] }],
    };
    const { blocks, places } = linkedPlan(hostile);
    const texts = blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : b.kind === 'list' ? [b.none, ...b.items.flat().map((r) => r.text)] : b.runs.map((r) => r.text)));
    const unsafe = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/; // eslint-disable-line no-control-regex
    assert.deepEqual(texts.filter((t) => unsafe.test(t)), [], 'no raw control or bidi character in the view');
    const escaped = 'web1\\u000a\\u202egpj.exe\\u001b[2J';
    assert.ok(texts.includes(`From ${escaped}`), 'the heading names the cluster escaped');
    const run = blocks.flatMap((b) => (b.kind === 'list' ? b.items.flat() : [])).find((r) => r.text === escaped);
    assert.ok(run?.link !== undefined, 'the instance is a linked run, shown escaped');
    assert.deepEqual(places[run.link], { section: 'instances', name: forged }, 'the host still finds the real name');
  });

  it('the host takes only ready and reveal with a link number from the webview', () => {
    assert.ok(isPlanWebviewToHost({ type: 'ready' }));
    assert.ok(isPlanWebviewToHost({ type: 'reveal', link: 3 }));
    for (const bad of [null, 'reveal', { type: 'reveal' }, { type: 'reveal', link: -1 }, { type: 'reveal', link: 1.5 }, { type: 'reveal', link: '1' }, { type: 'runPhase', phase: 'x' }]) {
      assert.ok(!isPlanWebviewToHost(bad), JSON.stringify(bad));
    }
  });
});
