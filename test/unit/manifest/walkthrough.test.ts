/**
 * The walkthrough (contributes.walkthroughs): each step's button runs a real, contributed command,
 * and running that command ticks the step (an onCommand completion event for the same command).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Step { id: string; description: string; completionEvents?: string[]; media: { image?: string } }
interface Manifest { contributes: { commands: { command: string }[]; walkthroughs: { id: string; steps: Step[] }[] } }

describe('walkthrough: add clusters, check ssh, dry run, merge, roll back', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = (value: string) => nls[value.replace(/^%|%$/g, '')] ?? value;
  const steps = manifest.contributes.walkthroughs.find((w) => w.id === 'ganetiMerge.start')?.steps ?? [];
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));

  it('has the five steps in order, each button a contributed command that also ticks it', () => {
    const buttons = steps.map((step) => {
      const links = [...text(step.description).matchAll(/\]\(command:([\w.-]+)\)/g)].map((m) => m[1]);
      assert.equal(links.length, 1, `${step.id}: one button expected, got ${JSON.stringify(links)}`);
      assert.ok(commands.has(links[0]), `${step.id}: ${links[0]} is not a contributed command`);
      assert.ok(step.completionEvents?.includes(`onCommand:${links[0]}`), `${step.id}: running ${links[0]} does not tick it`);
      return links[0];
    });
    assert.deepEqual(buttons, ['ganeti.addCluster', 'ganeti.refreshClusters', 'ganeti.showMergedConfigDiff', 'ganeti.mergeClusters', 'ganeti.rollBackMerge']);
  });

  it('every step image is in the .vsix', () => {
    const kept = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    for (const step of steps) {
      assert.ok(step.media.image && fs.existsSync(path.join(ROOT, step.media.image)), `${step.id}: no image file`);
      assert.ok(kept.includes(step.media.image), `${step.id}: ${step.media.image} is left out of the .vsix`);
    }
  });
});
