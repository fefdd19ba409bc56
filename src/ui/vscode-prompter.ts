/**
 * The core's Prompter answered by a person: a modal question naming the host key's SHA256
 * fingerprint, passphrases through a password input box (kept in SecretStorage once they worked
 * for a connection), and confirmations as modal dialogs.
 */
import * as vscode from 'vscode';
import type { Confirmation, HostKeyQuestion, Prompter } from '../core/operator/prompter';
import type { UiHost } from './host';

/** SecretStorage key of an identity file's passphrase. */
export function passphraseSecretKey(keyPath: string): string {
  return `ganetiMerge.passphrase:${keyPath}`;
}

export class VscodePrompter implements Prompter {
  constructor(
    private readonly host: UiHost,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  async askHostKey(q: HostKeyQuestion): Promise<boolean> {
    const trust = vscode.l10n.t('Trust and Connect');
    const endpoint = q.port === 22 ? q.host : `[${q.host}]:${q.port}`;
    const answer = await this.host.showWarning(
      vscode.l10n.t('The authenticity of host {0} ({1}) cannot be established.', q.alias, endpoint),
      {
        modal: true,
        detail: vscode.l10n.t(
          '{0} key fingerprint is {1}.\nCompare it with the key on the host (ssh-keygen -lf) before trusting it; it will be added to known_hosts.',
          q.keyType, q.fingerprint),
      },
      trust,
    );
    return answer === trust;
  }

  async askPassphrase(keyPath: string, attempt: number): Promise<string | undefined> {
    const key = passphraseSecretKey(keyPath);
    // The stored passphrase is only offered on the first attempt: a later attempt means it was wrong.
    if (attempt <= 1) {
      const stored = await this.secrets.get(key);
      if (stored !== undefined) return stored;
    } else {
      await this.secrets.delete(key);
    }
    const entered = await this.host.showInputBox({
      title: vscode.l10n.t('Passphrase for {0}', keyPath),
      prompt: attempt > 1 ? vscode.l10n.t('The passphrase was not accepted; try again.') : undefined,
      password: true,
      ignoreFocusOut: true,
    });
    if (entered !== undefined) await this.secrets.store(key, entered);
    return entered;
  }

  async confirm(question: Confirmation): Promise<boolean> {
    const proceed = vscode.l10n.t('Proceed');
    return (await this.host.showWarning(confirmationMessage(question), { modal: true, detail: question.summary }, proceed)) === proceed;
  }
}

/** A confirmation's message in the editor's language (English: core's englishConfirmation). */
export function confirmationMessage(q: Confirmation): string {
  switch (q.id) {
    case 'write-config':
      return vscode.l10n.t('Write the merged config.data to {0}?', q.master);
    case 'point-of-no-return':
      return vscode.l10n.t('Start {0} on the merged config? This is Ganeti\'s point of no return: from here on only a full rollback restores the clusters.', q.master);
    case 'cluster-changed':
      return q.op === 'rollback'
        ? vscode.l10n.t('E_CLUSTER_CHANGED: the target cluster changed since the merge last left it (after {0}, {1}). Roll back anyway? Rolling back restores the state from before the merge and loses these changes.', q.after, q.at)
        : vscode.l10n.t('E_CLUSTER_CHANGED: the target cluster changed since the merge last left it (after {0}, {1}). Resume anyway? The merge would act on a cluster it no longer knows.', q.after, q.at);
    case 'clear-journal-lock':
      return vscode.l10n.t('Clear the lock on journal {0}, held by {1}?', q.journal, q.holder);
    case 'clear-cluster-lock':
      return vscode.l10n.t('Clear the merge lock on {0}, held by {1}? Only do this when that merge is gone.', q.host, q.holder);
  }
}
