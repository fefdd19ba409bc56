import * as assert from 'assert';
import * as vscode from 'vscode';
import type { UiHost } from '../../../src/ui/host';
import { englishConfirmation, type Confirmation } from '../../../src/core/operator/questions';
import { confirmationMessage, passphraseSecretKey, VscodePrompter } from '../../../src/ui/vscode-prompter';

/** A UiHost answering from a script and recording what it was asked. */
function scriptedHost(answers: { warning?: (actions: string[]) => string | undefined; input?: string[] }) {
  const warnings: { message: string; options: { modal: boolean; detail?: string }; actions: string[] }[] = [];
  const inputs: vscode.InputBoxOptions[] = [];
  const host: UiHost = {
    showInformation: async () => undefined,
    showChoice: async () => undefined,
    showError: async () => undefined,
    showWarning: async (message, options, ...actions) => {
      warnings.push({ message, options, actions });
      return answers.warning?.(actions);
    },
    showInputBox: async (options) => {
      inputs.push(options);
      return answers.input?.shift();
    },
    showQuickPick: async () => undefined,
    showQuickPickMany: async () => undefined,
    withProgress: (_options, task) => task(() => undefined, new AbortController().signal),
  };
  return { host, warnings, inputs };
}

function memorySecrets(): vscode.SecretStorage & { values: Map<string, string> } {
  const values = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    values,
    onDidChange: changed.event,
    get: async (key) => values.get(key),
    store: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
    keys: async () => [...values.keys()],
  } as vscode.SecretStorage & { values: Map<string, string> };
}

const question = { alias: 'b1', host: '10.0.0.21', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abcDEF123' };

describe('VS Code prompter', () => {
  it('asks about an unknown host key modally, naming host and SHA256 fingerprint; trusts only on the explicit action', async () => {
    const trusting = scriptedHost({ warning: (actions) => actions[0] });
    assert.strictEqual(await new VscodePrompter(trusting.host, memorySecrets()).askHostKey(question), true);
    const asked = trusting.warnings[0];
    assert.strictEqual(asked.options.modal, true);
    assert.ok(asked.message.includes('b1') && asked.message.includes('10.0.0.21'));
    assert.ok(asked.options.detail?.includes('SHA256:abcDEF123') && asked.options.detail.includes('ssh-ed25519'));

    const dismissing = scriptedHost({ warning: () => undefined });
    assert.strictEqual(await new VscodePrompter(dismissing.host, memorySecrets()).askHostKey({ ...question, port: 2222 }), false);
    assert.ok(dismissing.warnings[0].message.includes('[10.0.0.21]:2222'));
  });

  it('asks a passphrase with a password box, keeps it in SecretStorage, and forgets it when it was wrong', async () => {
    const secrets = memorySecrets();
    const ui = scriptedHost({ input: ['first', 'second'] });
    const prompter = new VscodePrompter(ui.host, secrets);
    assert.strictEqual(await prompter.askPassphrase('/root/.ssh/id', 1), 'first');
    assert.strictEqual(ui.inputs[0].password, true);
    assert.strictEqual(secrets.values.get(passphraseSecretKey('/root/.ssh/id')), 'first');
    // Next connection: answered from SecretStorage without asking.
    assert.strictEqual(await prompter.askPassphrase('/root/.ssh/id', 1), 'first');
    assert.strictEqual(ui.inputs.length, 1);
    // A second attempt means the stored one was rejected: ask again and store the new one.
    assert.strictEqual(await prompter.askPassphrase('/root/.ssh/id', 2), 'second');
    assert.strictEqual(ui.inputs.length, 2);
    assert.strictEqual(secrets.values.get(passphraseSecretKey('/root/.ssh/id')), 'second');
  });

  it('does not store a cancelled passphrase and confirms only on Proceed', async () => {
    const secrets = memorySecrets();
    const ui = scriptedHost({ input: [], warning: () => undefined });
    const prompter = new VscodePrompter(ui.host, secrets);
    assert.strictEqual(await prompter.askPassphrase('/k', 1), undefined);
    assert.strictEqual(secrets.values.size, 0);
    assert.strictEqual(await prompter.confirm({ id: 'point-of-no-return', master: 'm1.example.com', summary: 'details' }), false);
    assert.strictEqual(ui.warnings[0].options.modal, true);
    // the typed question worded by the editor: its parameters and the summary reach the dialog
    assert.match(ui.warnings[0].message, /^Start m1\.example\.com on the merged config\? .*point of no return/);
    assert.strictEqual(ui.warnings[0].options.detail, 'details');
    const yes = scriptedHost({ warning: (actions) => actions[0] });
    assert.strictEqual(await new VscodePrompter(yes.host, secrets).confirm({ id: 'write-config', master: 'm1', summary: '' }), true);
    assert.strictEqual(yes.warnings[0].message, 'Write the merged config.data to m1?');
  });

  it('words every typed confirmation as the CLI does in English (the l10n source text is core\'s)', () => {
    const questions: Confirmation[] = [
      { id: 'write-config', master: 'm1.example.com', summary: 's' },
      { id: 'point-of-no-return', master: 'm1.example.com', summary: 's' },
      { id: 'cluster-changed', op: 'rollback', after: 'cleanup', at: '2026-12-04T18:00:00.000Z', summary: 's' },
      { id: 'cluster-changed', op: 'resume', after: 'readd-nodes', at: '2026-12-04T18:00:00.000Z', summary: 's' },
      { id: 'clear-journal-lock', journal: '/tmp/j.json', holder: 'process 1 on "h"', summary: '' },
      { id: 'clear-cluster-lock', host: 'a1.example.com', holder: 'merge 1', summary: '' },
    ];
    for (const q of questions) assert.strictEqual(confirmationMessage(q), englishConfirmation(q).message, q.id);
  });
});
