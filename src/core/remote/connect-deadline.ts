import { Prompter } from '../operator/prompter';

/**
 * The connect time limit, paused while a human answers a prompt (host key, passphrase): ssh2's own
 * readyTimeout would count the operator's reading time and fail a connection they are accepting.
 */
export class PausableDeadline {
  private timer: NodeJS.Timeout | undefined;
  private remaining: number;
  private startedAt = 0;

  constructor(limitMs: number, private readonly onExpire: () => void) {
    this.remaining = limitMs;
    this.resume();
  }

  resume(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(this.onExpire, Math.max(0, this.remaining));
  }

  pause(): void {
    if (this.timer) clearTimeout(this.timer);
    this.remaining -= Date.now() - this.startedAt;
  }

  async whilePaused<T>(work: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await work();
    } finally {
      this.resume();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

/** The same prompter, with the deadline paused while each question is open. */
export function pausingPrompter(prompter: Prompter, deadline: () => PausableDeadline): Prompter {
  return {
    askHostKey: (q) => deadline().whilePaused(() => prompter.askHostKey(q)),
    askPassphrase: (k, a) => deadline().whilePaused(() => prompter.askPassphrase(k, a)),
    confirm: (q) => deadline().whilePaused(() => prompter.confirm(q)),
  };
}
