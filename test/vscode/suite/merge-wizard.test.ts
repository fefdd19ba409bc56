import * as assert from 'assert';
import type * as vscode from 'vscode';
import { BACK, runMergeWizard, type Answer, type WizardIo, type WizardStep } from '../../../src/ui/merge/merge-wizard';
import { readSettings } from '../../../src/ui/settings';

type Script = (kind: 'one' | 'many' | 'input', step: WizardStep, items: readonly vscode.QuickPickItem[]) => unknown;

/** A WizardIo answering from a script, recording every step it was shown. */
function scriptedIo(script: Script[]): { io: WizardIo; shown: { kind: string; step: number; labels: string[] }[]; validators: ((v: string) => string | undefined)[] } {
  const shown: { kind: string; step: number; labels: string[] }[] = [];
  const validators: ((v: string) => string | undefined)[] = [];
  const next = (kind: 'one' | 'many' | 'input', step: WizardStep, items: readonly vscode.QuickPickItem[]) => {
    shown.push({ kind, step: step.step, labels: items.map((i) => i.label) });
    const answer = script.shift();
    if (!answer) throw new Error(`the wizard asked more than scripted: ${kind} at step ${step.step}`);
    return answer(kind, step, items);
  };
  const io: WizardIo = {
    async pickOne(step, items) { return next('one', step, items) as Answer<(typeof items)[number]>; },
    async pickMany(step, items) { return next('many', step, items) as Answer<typeof items>; },
    async input(step, options) { validators.push(options.validate); return next('input', step, []) as Answer<string>; },
  };
  return { io, shown, validators };
}

const settings = readSettings((k) => {
  if (k === 'clusters') return [{ name: 'alpha', host: 'alpha.example.com' }, { name: 'beta', host: 'beta.example.com' }, { name: 'gamma', host: 'gamma.example.com' }];
  if (k === 'defaults.groups') return 'rename';
  return undefined;
}).settings;

const byLabel = (label: string | RegExp) => (_k: unknown, _s: unknown, items: readonly vscode.QuickPickItem[]) => {
  const found = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label)));
  if (!found) throw new Error(`no item ${String(label)} among ${items.map((i) => i.label).join(' | ')}`);
  return found;
};
const many = (...labels: string[]) => (_k: unknown, _s: unknown, items: readonly vscode.QuickPickItem[]) => items.filter((i) => labels.includes(i.label));

describe('Merge Clusters wizard (scripted quick inputs)', () => {
  it('target, mergees (Back to change the target), an option changed, then start', async () => {
    const { io, shown } = scriptedIo([
      byLabel('beta'),
      () => BACK,
      byLabel('alpha'),
      many('beta', 'gamma'),
      byLabel(/^Restart instances/),
      byLabel(/^only those that ran/),
      byLabel(/Start preflight/),
    ]);
    const request = await runMergeWizard(io, settings);
    assert.ok(request);
    assert.deepStrictEqual(request.target, { name: 'alpha', host: 'alpha.example.com' });
    assert.deepStrictEqual(request.mergees.map((m) => m.name), ['beta', 'gamma']);
    assert.strictEqual(request.options.restart, 'up');
    assert.strictEqual(request.options.groups, 'rename', 'the default from the settings');
    assert.deepStrictEqual(shown.map((s) => s.step), [1, 2, 1, 2, 3, 3, 3]);
    // the mergee step never offers the target itself
    assert.ok(!shown[3].labels.includes('alpha'), shown[3].labels.join(', '));
    assert.ok(shown[4].labels.some((l) => l === 'Node groups: rename'), 'the summary shows the settings default');
  });

  it('networks: the summary shows the default (refuse), and rename can be chosen for colliding network names', async () => {
    const { io, shown } = scriptedIo([
      byLabel('alpha'),
      many('beta'),
      byLabel(/^Networks/),
      byLabel(/^rename: rename colliding incoming networks/),
      byLabel(/Start preflight/),
    ]);
    const request = await runMergeWizard(io, settings);
    assert.ok(shown[2].labels.includes('Networks: refuse'), shown[2].labels.join(', '));
    assert.ok(shown[4].labels.includes('Networks: rename'), shown[4].labels.join(', '));
    assert.strictEqual(request?.options.networks, 'rename');
  });

  it('stop policy: `needed` is the default the summary shows and the policy step marks current; all can be chosen', async () => {
    const { io, shown } = scriptedIo([
      byLabel('alpha'),
      many('beta'),
      byLabel(/^Stop instances/),
      (_k, _s, items) => {
        assert.deepStrictEqual(items.filter((i) => i.description === 'current').map((i) => i.label), [items.find((i) => i.label.startsWith('needed:'))?.label]);
        return byLabel(/^all: stop every/)(_k, _s, items);
      },
      byLabel(/Start preflight/),
    ]);
    const request = await runMergeWizard(io, settings);
    assert.ok(shown[2].labels.includes('Stop instances: needed'), shown[2].labels.join(', '));
    assert.ok(shown[4].labels.includes('Stop instances: all'), shown[4].labels.join(', '));
    assert.strictEqual(request?.options.stopInstances, 'all');
  });

  it('typed hosts: hostile names are refused by the input validation', async () => {
    const { io, validators } = scriptedIo([
      byLabel(/Enter a host/),
      () => 'target.example.com',
      many('beta', '$(edit) Enter hosts…'),
      () => 'x1.example.com, 10.0.0.9',
      byLabel(/Start preflight/),
    ]);
    const request = await runMergeWizard(io, settings);
    assert.ok(request);
    assert.strictEqual(request.target.host, 'target.example.com');
    assert.deepStrictEqual(request.mergees.map((m) => m.host), ['beta.example.com', 'x1.example.com', '10.0.0.9']);
    assert.ok(validators[0]('a;rm -rf /'), 'a hostile target host was accepted');
    assert.ok(validators[1]('ok.example.com, $(reboot)'), 'a hostile mergee host was accepted');
    assert.strictEqual(validators[1]('ok.example.com other.example.com'), undefined);
  });

  it('dismissing any step cancels the wizard without a request', async () => {
    for (let at = 0; at < 3; at++) {
      const script: Script[] = [byLabel('alpha'), many('beta'), byLabel(/Start preflight/)];
      script[at] = () => undefined;
      const { io } = scriptedIo(script);
      assert.strictEqual(await runMergeWizard(io, settings), undefined, `dismissed at step ${at + 1}`);
    }
  });
});
