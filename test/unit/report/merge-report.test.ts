/**
 * The merge plan and report, rendered from a journal: every item of the merge's own report shows,
 * no secret reaches any format even when planted in every field the report reads, and hostile
 * names stay text (no tag, link or table cell of their own) in Markdown and HTML.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { main } from '../../../src/cli/main';
import { Journal, type CommandRecord } from '../../../src/core/merger/journal';
import type { ClusterFacts } from '../../../src/core/merger/facts';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import type { GanetiConfig } from '../../../src/core/config/types';
import { buildMergePlan } from '../../../src/core/report/merge-plan';
import { renderPlanJson, renderPlanMarkdown } from '../../../src/core/report/plan-render';
import { mergeReportText } from '../../../src/core/report/export-report';
import { REPORT_FORMATS } from '../../../src/core/report/report-render';
import { cluster, merge } from '../config/merge-helpers';

/**
 * Names from the hostile corpus's spirit: markup, links, table pipes, quotes, a newline, and text a
 * preview's linkify would make a link of (a tracking URL, a mail address), and math.
 */
const HOSTILE = '<script>alert(1)</script>|"><img src=x onerror=alert(2)>[x](javascript:alert(3))\n# H'
  + ' https://tracker.example/pixel.png mailto:x@evil.example www.evil.example $\\href{command:x}{y}$';

const PASSWORD = 'hunter2-abcdef';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

interface Fixture {
  dir: string;
  journal: string;
  drbdSecret: string;
  privateValue: string;
  result: ReturnType<typeof merge>;
  stopped: string;
}

function fixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-report-'));
  const target = cluster('target.example.com');
  const mergee: GanetiConfig = cluster('mergee.example.com');
  const privateValue = 'private-os-value-4711';
  const firstInstance = Object.values(mergee.instances)[0];
  firstInstance.osparams_private = { root_password: privateValue };
  const drbd = Object.values(mergee.disks).find((d) => d.dev_type === 'drbd')!;
  const drbdSecret = String(drbd.logical_id[5]);
  assert.ok(drbdSecret.length >= 8, 'the generated config has a DRBD secret');
  const result = merge(target, [mergee], { groups: 'rename', params: 'warn' });
  assert.ok(result.ok);

  const journal = path.join(dir, 'merge.json');
  const j = Journal.create(journal, { ...DEFAULT_PLAN_OPTIONS, target: 'target.example.com', mergees: ['mergee.example.com'], groups: 'rename', params: 'warn' }, 'merge-test-1',
    { user: 'operator', host: 'laptop', cwd: `/home/op/${drbdSecret}`, pid: 42, frontEnd: 'cli', version: '0.1.0' });
  // the mergee's config as the merge keeps it next to the journal: where the report learns its secrets
  fs.mkdirSync(`${journal}.files`);
  fs.writeFileSync(path.join(`${journal}.files`, 'mergee.example.com.config.data'), JSON.stringify(mergee));

  const plant = (s: string) => `${s} ${drbdSecret} ${privateValue} password=${PASSWORD} ${KEY}`;
  const facts = (name: string, c: GanetiConfig): ClusterFacts => ({
    given: name, name, uuid: `u-${name}`, master: `node1.${name}`, version: '3.0.2', major: 3,
    nodes: Object.values(c.nodes).map((n) => ({ name: n.name, offline: false, role: 'regular' as const, group: 'default' })),
    instances: [
      ...Object.values(c.instances).map((i, k) => ({ name: i.name, status: k === 0 ? 'running' as const : 'ADMIN_down' as const, primaryNode: 'node1', running: k === 0 })),
      { name: plant(HOSTILE), status: 'running' as const, primaryNode: HOSTILE, running: true },
    ],
    groups: [{ name: HOSTILE, uuid: 'g', nodeCount: 1, allocPolicy: 'preferred' }],
    networks: [plant('net')],
  });
  const report = result.report;
  report.warnings.push({ code: 'W_PARAM_DIFF', severity: 'warning', message: plant('hvparams differ'), source: HOSTILE, objects: [plant('cluster.hvparams.kvm')] });
  j.doc.facts = {
    target: facts('target.example.com', target),
    mergees: [facts('mergee.example.com', mergee)],
    mergeSummary: plant('summary'),
    instanceStops: [
      { cluster: 'mergee.example.com', instance: firstInstance.name, stop: true, reasons: [plant('DRBD port changes')] },
      { cluster: 'mergee.example.com', instance: plant(HOSTILE), stop: false, reasons: [] },
    ],
    mergeReport: report,
  };
  j.doc.phases.preflight = { state: 'done', startedAt: 1_000, finishedAt: 5_000, records: [] };
  j.doc.phases['verify-target'] = { state: 'failed', startedAt: 5_000, finishedAt: 6_000, error: plant('verify failed'), records: [] };
  const command = (argv: string[], exitCode: number | null): CommandRecord => ({
    phase: 'preflight', host: plant(HOSTILE), argv, exitCode, startedAt: '2026-12-04T10:00:00.000Z', durationMs: 1234, ...(exitCode === null ? { error: plant('lost') } : {}),
  });
  j.doc.commands = [command(['gnt-cluster', 'version'], 0), command(['drbdsetup', plant('--shared-secret')], null)];
  j.doc.inFlight = [{ phase: 'verify-target', host: 'node1', command: plant('gnt-cluster verify'), sentAt: 7_000 }];
  j.doc.afterMerge = { at: 8_000, cluster: 'target.example.com', nodes: [{ name: plant('n'), offline: false, role: 'regular', group: HOSTILE }], instances: [] };
  j.doc.rollback = { state: 'failed', startedAt: 9_000, error: plant('rollback failed') };
  j.doc.outcome = 'failed';
  j.save();
  return { dir, journal, drbdSecret, privateValue, result, stopped: firstInstance.name };
}

function assertNoSecret(text: string, f: Fixture, what: string): void {
  for (const s of [f.drbdSecret, f.privateValue, PASSWORD, 'BEGIN OPENSSH PRIVATE KEY', 'b3BlbnNzaC1rZXktdjEAAAAA']) {
    assert.ok(!text.includes(s), `${what} shows the secret ${s}`);
  }
}

describe('merge plan and report', () => {
  let f: Fixture;
  before(() => { f = fixture(); });
  after(() => fs.rmSync(f.dir, { recursive: true, force: true }));

  it('the plan lists what the merge computed: renames, every re-allocated DRBD port, parameter differences, stops', () => {
    const plan = buildMergePlan(Journal.load(f.journal).doc)!;
    const r = f.result.report;
    assert.equal(plan.drbdPorts.length, r.reallocatedDiskPorts.length);
    assert.ok(plan.drbdPorts.length > 0);
    assert.deepEqual(plan.renamed.map((x) => x.to), r.renamedGroups.map((g) => g.to));
    assert.equal(plan.parameters.policy, 'warn');
    assert.ok(plan.parameters.differences.some((d) => d.code === 'W_PARAM_DIFF'));
    assert.deepEqual(plan.stops.filter((s) => s.stop && s.running).map((s) => s.instance), [f.stopped]);
    assert.equal(plan.stops.filter((s) => !s.stop && s.running).length, 1, 'the instance kept running is listed');
    const markdown = renderPlanMarkdown(plan);
    for (const d of r.reallocatedDiskPorts) assert.ok(markdown.includes(`${d.from} → **${d.to}**`), `DRBD ${d.disk} re-allocation shown`);
    for (const g of r.renamedGroups) assert.ok(markdown.includes(g.to.replace(/[-._]/g, (c) => `\\${c}`)), `rename to ${g.to} shown`);
    assert.deepEqual(JSON.parse(renderPlanJson(plan)).drbdPorts, r.reallocatedDiskPorts);
  });

  it('the plan names the target group that absorbs a same-named group by its name, not its uuid', () => {
    const target = cluster('target.example.com');
    const result = merge(target, [cluster('mergee.example.com')], { groups: 'merge' });
    assert.ok(result.ok);
    const absorbed = result.report.absorbedGroups;
    assert.ok(absorbed.length > 0, 'both clusters have a "default" group');
    const doc = Journal.create(path.join(f.dir, 'absorb.json'), { ...DEFAULT_PLAN_OPTIONS, target: 'target.example.com', mergees: ['mergee.example.com'] }, 'merge-test-2',
      { user: 'operator', host: 'laptop', cwd: '/', pid: 1, frontEnd: 'cli', version: '0.1.0' }).doc;
    doc.facts = { ...Journal.load(f.journal).doc.facts!, mergeReport: result.report };
    const plan = buildMergePlan(doc)!;
    for (const a of absorbed) {
      assert.equal(a.intoName, target.nodegroups[a.into].name);
      assert.ok(plan.absorbed.some((x) => x.kind === 'group' && x.into === a.intoName), `group ${a.name} merged into ${a.intoName}`);
      assert.ok(!renderPlanMarkdown(plan).includes(a.into), 'no uuid of the absorbing group in the plan');
    }
  });

  for (const format of REPORT_FORMATS) {
    it(`the ${format} report holds no secret planted in any field, and shows phases and commands`, () => {
      const text = mergeReportText(f.journal, format, 10_000);
      assertNoSecret(text, f, `the ${format} report`);
      assert.ok(text.includes('redacted'), 'the planted secrets were replaced by the placeholder');
      const shown = { md: 'gnt\\-cluster version', html: 'gnt-cluster version', json: '"gnt-cluster",' }[format];
      assert.ok(text.includes(shown), 'a command shows');
      assert.ok(text.includes('drbdsetup'), 'the failed command shows');
      assert.ok(/Verify Target|verify-target/.test(text), 'the phases show');
      assert.ok(text.includes('rollback failed'), 'the rollback shows');
      if (format === 'json') {
        const doc = JSON.parse(text);
        assert.equal(doc.commands.length, 2);
        assert.equal(doc.commands[1].exitCode, null);
        assert.equal(doc.phases.find((p: { id: string }) => p.id === 'preflight').commands, 2);
        assert.equal(doc.origin.user, 'operator');
      }
    });
  }

  it('hostile names stay text in HTML: no tag, attribute or script of their own', () => {
    const text = mergeReportText(f.journal, 'html', 10_000);
    assert.ok(!/<script/i.test(text), 'no script element');
    assert.ok(!/<img/i.test(text), 'no injected element');
    assert.ok(text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the name shows escaped');
    // the newline in a name never starts a line of its own
    assert.ok(!/^# H/m.test(text));
  });

  it('hostile names stay text in Markdown: no raw HTML, link, heading or extra table cell', () => {
    const text = mergeReportText(f.journal, 'md', 10_000);
    assert.ok(!/<script|<img/i.test(text.replace(/`[^`\n]*`/g, '')), 'no raw HTML outside code spans');
    assert.ok(!text.includes('](javascript:'), 'no link');
    assert.ok(!/^# H/m.test(text), 'no heading from a name');
    for (const row of text.split('\n').filter((l) => l.startsWith('| ') && l.includes('node1'))) {
      const cells = row.replace(/\\\|/g, '').split('|').length;
      assert.ok(cells <= 8, `a table row has no extra cell: ${row}`);
    }
  });

  it('hostile names stay text in a Markdown preview (markdown-it, raw HTML and linkify on as in VS Code): no link, image or element', () => {
    const preview = new MarkdownIt({ html: true, linkify: true });
    const plan = renderPlanMarkdown(buildMergePlan(Journal.load(f.journal).doc)!);
    for (const [what, text] of [['report', mergeReportText(f.journal, 'md', 10_000)], ['plan', plan]]) {
      const shown = preview.render(text);
      assert.ok(!/<a[\s>]/i.test(shown), `the ${what} has no link: ${/.{0,80}<a[\s>].{0,80}/i.exec(shown)?.[0]}`);
      assert.ok(!/<(img|script)/i.test(shown), `the ${what} has no injected element`);
      assert.ok(shown.includes('https://tracker.example/pixel.png mailto:x@evil.example www.evil.example'), `the ${what} shows the name as text`);
      // math ($...$ in VS Code's preview) needs an unescaped dollar outside code spans
      assert.ok(!/(^|[^\\])\$/m.test(text.replace(/`[^`\n]*`/g, '')), `the ${what} has no unescaped $`);
    }
  });

  it('ganeti-merge report writes the same report, refuses a bad format and changes nothing', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    assert.equal(await main(['report', '--journal', f.journal, '--format', 'json'], io), 0);
    assertNoSecret(out.join(''), f, 'report --format json');
    assert.equal(JSON.parse(out.join('')).id, 'merge-test-1');
    const before = fs.readFileSync(f.journal, 'utf8');
    assert.equal(await main(['report', '--journal', f.journal, '--format', 'pdf'], io), 2);
    assert.match(err.join(''), /^E_USAGE: ganeti-merge report: --format must be one of md\|json\|html/);
    assert.equal(fs.readFileSync(f.journal, 'utf8'), before);
    const file = path.join(f.dir, 'report.html');
    assert.equal(await main(['report', '--journal', f.journal, '--format', 'html', '--output', file], io), 0);
    assertNoSecret(fs.readFileSync(file, 'utf8'), f, 'report --output');
  });
});
