/**
 * A CommandRunner that answers from a script instead of a network: for fast unit tests of parsers
 * and of code that drives Ganeti commands. Records every call.
 */
import { RemoteCommand } from './command';
import { CommandRunner, interpretResult, RunOptions } from './runner';
import { argValue } from './secret';
import { ExecResult } from './host-connection';

export interface ScriptedReply {
  readonly code?: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

export type ScriptedHandler = (host: string, argv: readonly string[], stdin: string | Buffer | undefined) => ScriptedReply | undefined;

export class ScriptedRunner implements CommandRunner {
  readonly calls: { host: string; argv: string[]; stdin?: string | Buffer; runLock?: string }[] = [];

  constructor(private readonly handler: ScriptedHandler) {}

  async run<T>(host: string, command: RemoteCommand<T>, options?: RunOptions): Promise<T> {
    const argv = command.argv.map(argValue);
    this.calls.push({ host, argv, stdin: command.stdin, ...(options?.runLock ? { runLock: options.runLock } : {}) });
    const reply = this.handler(host, argv, command.stdin);
    if (!reply) throw new Error(`ScriptedRunner: no reply scripted for ${host}: ${argv.join(' ')}`);
    const result: ExecResult = {
      code: reply.code ?? 0,
      stdout: Buffer.from(reply.stdout ?? ''),
      stderr: Buffer.from(reply.stderr ?? ''),
      durationMs: 0,
    };
    return interpretResult(host, command, result);
  }
}
