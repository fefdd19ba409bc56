/**
 * The core never shows a dialog: whenever it needs a human decision it asks through this interface,
 * with typed questions (./questions.ts) each front end words itself. The editor implements it with
 * modal dialogs and SecretStorage, the CLI on the terminal; tests use ScriptedPrompter.
 */
import type { Confirmation, HostKeyQuestion } from './questions';

export type { Confirmation, HostKeyQuestion } from './questions';

export interface Prompter {
  /** Unknown host key: true to trust it (it is then recorded in known_hosts). */
  askHostKey(question: HostKeyQuestion): Promise<boolean>;
  /** Passphrase of an encrypted identity file; undefined to skip this key. */
  askPassphrase(keyPath: string, attempt: number): Promise<string | undefined>;
  /** A yes/no decision, e.g. the point of no return. */
  confirm(question: Confirmation): Promise<boolean>;
}

type Answer<Q, A> = A | ((question: Q) => A);

/** Answers from a script; records every question so tests can assert what was asked. */
export class ScriptedPrompter implements Prompter {
  readonly hostKeyQuestions: HostKeyQuestion[] = [];
  readonly passphraseQuestions: { keyPath: string; attempt: number }[] = [];
  readonly confirmations: Confirmation[] = [];

  constructor(
    private readonly answers: {
      hostKey?: Answer<HostKeyQuestion, boolean>;
      passphrase?: Answer<string, string | undefined>;
      confirm?: Answer<Confirmation, boolean>;
    } = {},
  ) {}

  async askHostKey(question: HostKeyQuestion): Promise<boolean> {
    this.hostKeyQuestions.push(question);
    const a = this.answers.hostKey ?? false;
    return typeof a === 'function' ? a(question) : a;
  }

  async askPassphrase(keyPath: string, attempt: number): Promise<string | undefined> {
    this.passphraseQuestions.push({ keyPath, attempt });
    const a = this.answers.passphrase;
    return typeof a === 'function' ? a(keyPath) : a;
  }

  async confirm(question: Confirmation): Promise<boolean> {
    this.confirmations.push(question);
    const a = this.answers.confirm ?? false;
    return typeof a === 'function' ? a(question) : a;
  }
}
