/**
 * The serial reference of the lab benchmark: what Ganeti's old cluster-merge did, i.e. every remote
 * command one at a time, each over a connection of its own (here a fresh SshPool per command, so
 * the same ssh code and host key checks, only without sharing and without parallelism).
 */
import type { RemoteCommand } from '../src/core/remote/command';
import { SshCommandRunner, type CommandRunner, type RunOptions } from '../src/core/remote/runner';
import type { SshPool } from '../src/core/remote/transport';

export class SerialFreshConnectionRunner implements CommandRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly opened = new Map<string, number>();

  /** `newPool` must give a pool that shares the caller's transcript (the engine's command events). */
  constructor(private readonly newPool: () => SshPool) {}

  run<T>(host: string, command: RemoteCommand<T>, options?: RunOptions): Promise<T> {
    const result = this.tail.then(() => this.runAlone(host, command, options));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Connections opened per host (one per command). */
  connectionsByHost(): ReadonlyMap<string, number> {
    return new Map(this.opened);
  }

  private async runAlone<T>(host: string, command: RemoteCommand<T>, options?: RunOptions): Promise<T> {
    const pool = this.newPool();
    try {
      return await new SshCommandRunner(pool).run(host, command, options);
    } finally {
      for (const [h, n] of pool.connectionsByHost()) this.opened.set(h, (this.opened.get(h) ?? 0) + n);
      await pool.close();
    }
  }
}
