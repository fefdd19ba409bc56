import * as assert from 'assert';
import * as vscode from 'vscode';
import * as manifest from '../../../package.json';

const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('extension activation', () => {
  it(`finds ${extensionId} and activates it`, async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is not installed in this host`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command the manifest contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((command) => command.command);
    assert.ok(contributed.includes('ganeti.mergeClusters'), 'package.json no longer contributes ganeti.mergeClusters');
    assert.deepStrictEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('ganeti.mergeClusters opens the wizard\'s first step and ends quietly when it is dismissed', async () => {
    const execution = Promise.resolve(vscode.commands.executeCommand('ganeti.mergeClusters'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await execution, undefined);
  });
});
