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

  it('runs ganeti.mergeClusters without throwing', async () => {
    const execution = vscode.commands.executeCommand('ganeti.mergeClusters');
    // The command awaits its notification, which settles only once it is closed, as a person would.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('notifications.clearAll');
    await execution;
  });
});
