// The running extension's UI objects (activate() returns them), for the in-host tests.
import * as vscode from 'vscode';
import * as manifest from '../../../package.json';
import type { GanetiMergeApi } from '../../../src/ui/activate-ui';

export const extensionId = `${manifest.publisher}.${manifest.name}`;

export async function extensionApi(): Promise<GanetiMergeApi> {
  const extension = vscode.extensions.getExtension<GanetiMergeApi>(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not installed in this host`);
  return extension.activate();
}
