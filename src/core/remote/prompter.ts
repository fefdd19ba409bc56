/**
 * The core never shows a dialog: whenever it needs a human decision it asks through this interface.
 * The editor implements it with modal dialogs and SecretStorage; tests use ScriptedPrompter.
 */
export interface HostKeyQuestion {
  /** The name as the user wrote it and the endpoint actually reached. */
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  /** "SHA256:..." as printed by `ssh-keygen -lf`. */
  readonly fingerprint: string;
}

export interface Prompter {
  /** Unknown host key: true to trust it (it is then recorded in known_hosts). */
  askHostKey(question: HostKeyQuestion): Promise<boolean>;
  /** Passphrase of an encrypted identity file; undefined to skip this key. */
  askPassphrase(keyPath: string, attempt: number): Promise<string | undefined>;
  /** A yes/no decision, e.g. the point of no return. */
  confirm(message: string, detail?: string): Promise<boolean>;
}

type Answer<Q, A> = A | ((question: Q) => A);

/** Answers from a script; records every question so tests can assert what was asked. */
export class ScriptedPrompter implements Prompter {
  readonly hostKeyQuestions: HostKeyQuestion[] = [];
  readonly passphraseQuestions: { keyPath: string; attempt: number }[] = [];
  readonly confirmations: { message: string; detail?: string }[] = [];

  constructor(
    private readonly answers: {
      hostKey?: Answer<HostKeyQuestion, boolean>;
      passphrase?: Answer<string, string | undefined>;
      confirm?: Answer<string, boolean>;
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

  async confirm(message: string, detail?: string): Promise<boolean> {
    this.confirmations.push({ message, detail });
    const a = this.answers.confirm ?? false;
    return typeof a === 'function' ? a(message) : a;
  }
}
