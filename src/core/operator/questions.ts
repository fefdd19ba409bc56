/**
 * What the core asks the operator, as data: an id and its parameters, never finished prose, so
 * each front end words it in its own language (the editor through vscode.l10n.t, the CLI in
 * English with englishConfirmation). A new question is a new member here and a case in each.
 */

/** An unknown ssh host key: trust it (it is then recorded in known_hosts)? */
export interface HostKeyQuestion {
  /** The name as the user wrote it and the endpoint actually reached. */
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  /** "SHA256:..." as printed by `ssh-keygen -lf`. */
  readonly fingerprint: string;
}

/** A yes/no decision of the merge; `summary` is the merge plan's summary (English, from the engine). */
export type Confirmation =
  /** Phase write-config without the editor's review: write the merged config.data to the target master? */
  | { readonly id: 'write-config'; readonly master: string; readonly summary: string }
  /** Phase start-master-no-voting, Ganeti's point of no return: start the master on the merged config? */
  | { readonly id: 'point-of-no-return'; readonly master: string; readonly summary: string }
  /** Before a rollback or resume: the target changed since the merge left it (`summary`: the changes, one per line); go on anyway? */
  | { readonly id: 'cluster-changed'; readonly op: 'rollback' | 'resume'; readonly after: string; readonly at: string; readonly summary: string }
  /** `unlock`: remove the journal's local lock, whose holder (described in `holder`) is gone? */
  | { readonly id: 'clear-journal-lock'; readonly journal: string; readonly holder: string; readonly summary: string }
  /** `unlock --host`: remove the merge lock on a master, held by the merge described in `holder`? */
  | { readonly id: 'clear-cluster-lock'; readonly host: string; readonly holder: string; readonly summary: string };

export type ConfirmationId = Confirmation['id'];

/** A confirmation in English: the CLI's wording, and the base the editor's translations start from. */
export function englishConfirmation(q: Confirmation): { message: string; detail: string } {
  switch (q.id) {
    case 'write-config':
      return { message: `Write the merged config.data to ${q.master}?`, detail: q.summary };
    case 'point-of-no-return':
      return {
        message: `Start ${q.master} on the merged config? This is Ganeti's point of no return: from here on only a full rollback restores the clusters.`,
        detail: q.summary,
      };
    case 'cluster-changed':
      return {
        message: q.op === 'rollback'
          ? `E_CLUSTER_CHANGED: the target cluster changed since the merge last left it (after ${q.after}, ${q.at}). Roll back anyway? Rolling back restores the state from before the merge and loses these changes.`
          : `E_CLUSTER_CHANGED: the target cluster changed since the merge last left it (after ${q.after}, ${q.at}). Resume anyway? The merge would act on a cluster it no longer knows.`,
        detail: q.summary,
      };
    case 'clear-journal-lock':
      return { message: `Clear the lock on journal ${q.journal}, held by ${q.holder}?`, detail: q.summary };
    case 'clear-cluster-lock':
      return { message: `Clear the merge lock on ${q.host}, held by ${q.holder}? Only do this when that merge is gone.`, detail: q.summary };
  }
}
