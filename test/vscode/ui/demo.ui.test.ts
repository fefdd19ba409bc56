import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import type { DemoBanner } from '../../../scripts/demo-banner';
import { labInfo, labStateDir, nodeExec, requireLab, type LabInfo } from '../../lab/lab';
import { launchChromium } from '../harness/chromium';
import { testResultsDir } from '../harness/paths';
import { createScratchRun, findFreePort, type ScratchRun } from '../harness/scratch';
import { exitOnSignals } from '../harness/server-process';
import { holdLabLock } from './demo-lab-lock';
import { startDemo, type DemoProcess } from './demo-process';
import { saveScreenshot, treeRow, waitForWorkbench } from './workbench-page';
import { mergeAndRollBack } from './merge-flow';

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function gntNames(node: string, what: 'node' | 'instance'): Promise<string[]> {
  const r = await nodeExec(node, `gnt-${what} list --no-headers -o name`);
  assert.strictEqual(r.code, 0, `gnt-${what} list on ${node}: ${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

// `npm run demo` as a person runs it: it gets ready, the printed URL and password open the workbench with
// the packaged extension and the lab's clusters, and Ctrl-C leaves nothing behind. With GCM_LAB_MANAGED
// set (npm test owns the lab) the demo must leave the lab up in its pre-merge state instead of down.
describe('npm run demo: the editor demo on the lab (UI)', function () {
  this.timeout(20 * 60_000);
  const labManaged = (process.env.GCM_LAB_MANAGED ?? '') !== '';
  let lock: { release(): void } | undefined;
  let demo: DemoProcess | undefined;
  let banner: DemoBanner;
  let lab: LabInfo;
  let port: number;
  let run: ScratchRun | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let failed = false;
  const demoLog = path.join(testResultsDir, 'demo.log');

  before(async function () {
    requireLab(this);
    exitOnSignals(); // an interrupted run still sends the demo its Ctrl-C (demo-process.ts)
    lock = await holdLabLock();
    port = await findFreePort();
    fs.mkdirSync(testResultsDir, { recursive: true });
    fs.writeFileSync(demoLog, '');
    demo = startDemo({ ...process.env, GCM_DEMO_PORT: String(port) }, demoLog);
    // A cold machine installs code-server first (~3 min); a warm one needs ~40 s (package + lab reset).
    banner = await demo.waitForBanner(12 * 60_000);
    lab = labInfo();
    run = createScratchRun('demo-browser');
    browser = await launchChromium(run);
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterEach(function () {
    failed ||= this.currentTest?.state === 'failed';
  });

  after(async () => {
    if (failed && page) await saveScreenshot(page, 'demo-failure').catch(() => undefined);
    await browser?.close().catch(() => undefined);
    run?.remove();
    await demo?.stop(); // only matters when the SIGINT test did not get as far: the demo is gone otherwise
    lock?.release();
  });

  it('prints a URL on 127.0.0.1 at the asked port, and the server wants the password', async () => {
    assert.match(banner.url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?folder=`));
    assert.ok(banner.password.length >= 20, `a guessable password: ${banner.password.length} characters`);
    const response = await fetch(banner.url, { redirect: 'manual' });
    assert.strictEqual(response.status, 302, 'the workbench was served without logging in');
    assert.match(response.headers.get('location') ?? '', /login/);
  });

  it('opens the workbench after logging in, with the Ganeti view listing the lab clusters', async () => {
    await page.goto(banner.url, { waitUntil: 'domcontentloaded' });
    await page.locator('input[type=password]').fill(banner.password);
    await page.keyboard.press('Enter');
    await waitForWorkbench(page);
    const container = page.locator('.activitybar .action-item .action-label[aria-label^="Ganeti"]').first();
    await container.waitFor({ state: 'visible', timeout: 60_000 });
    await container.click();
    for (const cluster of lab.clusters) {
      await treeRow(page, cluster.shortName).waitFor({ state: 'visible', timeout: 30_000 });
    }
  });

  it('reaches the lab over ssh with the settings it wrote: a cluster expands to its nodes', async () => {
    const target = lab.clusters.find((c) => c.name === lab.targetCluster)!;
    await treeRow(page, target.shortName).click();
    await treeRow(page, 'Nodes').click();
    for (const node of target.nodes) {
      await treeRow(page, node).waitFor({ state: 'visible', timeout: 60_000 });
    }
    await saveScreenshot(page, 'demo-clusters');
  });

  it('reaches a working merge: Merge Clusters merges the last mergee into the target, and Roll Back restores it', async function () {
    this.timeout(20 * 60_000);
    await mergeAndRollBack(page, lab, (name) => saveScreenshot(page, `demo-${name}`));
  });

  it('tears everything down on Ctrl-C (SIGINT)', async () => {
    await browser!.close();
    browser = undefined;
    const code = await demo!.interrupt('SIGINT', 3 * 60_000);
    const output = demo!.output();
    // 130 = 128 + SIGINT from the demo after a clean-up that worked (1 when a step failed)
    assert.strictEqual(code, 130, `the demo exited ${code}:\n${output.slice(-2000)}`);
    assert.match(output, /demo: stopped; everything is cleaned up/);
    assert.doesNotMatch(output, /demo: .* failed/);
    assert.strictEqual(await portAnswers(port), false, `127.0.0.1:${port} still answers`);
    assert.strictEqual(fs.existsSync(banner.tempDir), false, `${banner.tempDir} is still there`);
    if (labManaged) {
      // Up, and every cluster as built: nobody merged, but the reset is what the suites after this rely on.
      for (const cluster of lab.clusters) {
        assert.deepStrictEqual(await gntNames(cluster.master, 'node'), [...cluster.nodes].sort(), `${cluster.name} nodes`);
        assert.deepStrictEqual(await gntNames(cluster.master, 'instance'), cluster.instances.map((i) => i.name).sort(), `${cluster.name} instances`);
      }
    } else {
      assert.strictEqual(fs.existsSync(path.join(labStateDir(), 'lab.json')), false, 'the lab is still up');
    }
  });
});
