/**
 * `ganeti-merge plan|run|step|rollback|resume|status`: the merge procedure from a terminal, one
 * journal per merge. Exit status: 0 done, 1 the merge or rollback failed (phase and cause on
 * stderr), 2 bad usage.
 */
import * as fs from 'node:fs';
import { startMerge, openMerge } from '../core/merger/create';
import type { MergeEngine, MergeOutcome } from '../core/merger/engine';
import { JournalError, newMergeId } from '../core/merger/journal';
import { MergeLockError } from '../core/merger/lock-errors';
import { DEFAULT_PLAN_OPTIONS, PHASES, type MergePlanOptions, type PhaseId } from '../core/merger/types';
import { choice, parseCommandArgs, requiredString, UsageError, type CliIo, type Command, type OptionSpec, type ParsedArgs } from './args';
import { openSession, printEvent, SSH_OPTIONS, SSH_USAGE } from './cli-session';

const PLAN_OPTIONS: OptionSpec = {
  target: { type: 'string' },
  mergee: { type: 'string', multiple: true },
  groups: { type: 'string' },
  params: { type: 'string' },
  restart: { type: 'string' },
  'no-stop-instances': { type: 'boolean' },
  'watcher-pause': { type: 'string' },
  'ignore-verify-error': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
};

const PLAN_USAGE = `merge options (plan, and run without an existing journal):
  --target CLUSTER             ssh name of the target cluster or its master
  --mergee CLUSTER             a cluster to fold in (repeat for several)
  --groups refuse|merge|rename same-named node groups (default refuse)
  --params strict|warn         cluster parameter differences (default strict)
  --restart all|up|none        instances to start after the merge (default all)
  --no-stop-instances          only check that no mergee instance runs
  --watcher-pause SECONDS      (default 1800)
  --ignore-verify-error CODE   e.g. ENODESETUP (repeat for several)
  --concurrency N              parallel per-node work (default 4)`;

const COMMON: OptionSpec = { ...SSH_OPTIONS, journal: { type: 'string' }, yes: { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

const FORCE_USAGE = `  --force  go on although the target cluster changed since the merge left it (E_CLUSTER_CHANGED);
           a rollback then LOSES those changes (instances, nodes, tags... made since)`;

function positiveInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

export function planOptions(values: ParsedArgs['values']): MergePlanOptions {
  const mergees = (values.mergee as unknown as string[] | undefined) ?? [];
  if (mergees.length === 0) throw new UsageError('at least one --mergee is required');
  const ignored = (values['ignore-verify-error'] as unknown as string[] | undefined) ?? [];
  for (const c of ignored) if (!/^E[A-Z0-9]+$/.test(c)) throw new UsageError(`--ignore-verify-error must be a code like ENODESETUP, got ${JSON.stringify(c)}`);
  return {
    target: requiredString(values, 'target'),
    mergees,
    groups: choice(values, 'groups', ['refuse', 'merge', 'rename'] as const, DEFAULT_PLAN_OPTIONS.groups),
    params: choice(values, 'params', ['strict', 'warn'] as const, DEFAULT_PLAN_OPTIONS.params),
    restart: choice(values, 'restart', ['all', 'up', 'none'] as const, DEFAULT_PLAN_OPTIONS.restart),
    stopInstances: values['no-stop-instances'] !== true,
    watcherPauseSeconds: positiveInt(values['watcher-pause'], 'watcher-pause', DEFAULT_PLAN_OPTIONS.watcherPauseSeconds),
    ignoredVerifyCodes: ignored,
    concurrency: positiveInt(values.concurrency, 'concurrency', DEFAULT_PLAN_OPTIONS.concurrency),
  };
}

function report(io: CliIo, name: string, outcome: MergeOutcome): number {
  if (outcome.outcome === 'merged' || outcome.outcome === 'rolled-back') {
    io.stdout(`${outcome.outcome}\n`);
    return 0;
  }
  io.stderr(`ganeti-merge ${name}: ${outcome.outcome}${outcome.phase ? ` in phase ${outcome.phase}` : ''}: ${outcome.error ?? 'no cause recorded'}\n`);
  return 1;
}

type Action = (engine: MergeEngine, args: { positionals: string[]; signal: AbortSignal }, io: CliIo) => Promise<number>;

/** A command that needs the clusters: opens ssh, the journal (new for plan/run), runs `action`. */
function remoteCommand(name: string, summary: string, usage: string, options: OptionSpec, create: 'never' | 'may' | 'must', action: Action): Command {
  const spec = { ...COMMON, ...(create === 'never' ? {} : PLAN_OPTIONS), ...options };
  return {
    name, summary, usage,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, spec);
      if (values.help) {
        io.stdout(`${usage}\n`);
        return 0;
      }
      let journal = typeof values.journal === 'string' ? values.journal : undefined;
      const creating = create === 'must' || (create === 'may' && (journal === undefined || !fs.existsSync(journal)));
      if (!creating && journal === undefined) throw new UsageError('--journal FILE is required');
      const plan = creating ? planOptions(values) : undefined;
      journal ??= `${newMergeId()}.json`;
      const session = openSession(values, io, values.yes === true, journal);
      const guarded = { ...session, onChanged: values.force === true ? 'force' as const : 'refuse' as const, note: (m: string) => io.stderr(`${m}\n`) };
      let engine: MergeEngine | undefined;
      try {
        try {
          engine = plan ? startMerge(journal, plan, guarded) : openMerge(journal, guarded);
        } catch (err) {
          if (err instanceof JournalError || err instanceof MergeLockError) {
            io.stderr(`ganeti-merge ${name}: ${err.message}\n`);
            return 1;
          }
          throw err;
        }
        if (plan) io.stderr(`journal: ${journal}\n`);
        engine.onEvent((e) => printEvent(io, e));
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.once('SIGINT', onSignal);
        try {
          return await action(engine, { positionals, signal: controller.signal }, io);
        } catch (err) {
          if (!(err instanceof MergeLockError)) throw err;
          io.stderr(`ganeti-merge ${name}: ${err.message}\n`);
          // A merge this command just created and that was refused before it did anything leaves nothing behind.
          if (plan && engine.statuses().every((s) => s.state === 'pending')) {
            engine.files.removeAll();
            fs.rmSync(engine.journal.file, { force: true });
          }
          return 1;
        } finally {
          process.off('SIGINT', onSignal);
        }
      } finally {
        engine?.close();
        await session.close();
      }
    },
  };
}

async function runSteps(engine: MergeEngine, io: CliIo, name: string, signal: AbortSignal, until?: PhaseId): Promise<number> {
  try {
    for (;;) {
      const id = engine.nextPhase();
      if (!id) break;
      await engine.runPhase(id, signal);
      if (id === until) break;
    }
  } catch (err) {
    if (err instanceof MergeLockError) throw err;
    const failed = engine.statuses().find((s) => s.state === 'failed');
    io.stderr(`ganeti-merge ${name}: failed in phase ${failed?.id ?? '?'}: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}

export const planCommand = remoteCommand('plan', 'preflight only: check the clusters and compute the merge (changes nothing)',
  `usage: ganeti-merge plan --target CLUSTER --mergee CLUSTER... [--journal FILE] [options]\n\n${PLAN_USAGE}\n\n${SSH_USAGE}`, {}, 'must',
  async (engine, { signal }, io) => {
    const code = await runSteps(engine, io, 'plan', signal, 'preflight');
    if (code === 0) io.stdout(`${engine.journal.doc.facts?.mergeSummary ?? ''}\njournal: ${engine.journal.file}\n`);
    return code;
  });

export const runCommand = remoteCommand('run', 'run (or continue) the whole merge',
  `usage: ganeti-merge run [--yes] [--journal FILE] [--target CLUSTER --mergee CLUSTER...] [options]\n\nWith an existing journal, continues that merge.\n  --yes   approve writing the config and passing the point of no return\n${FORCE_USAGE}\n\n${PLAN_USAGE}\n\n${SSH_USAGE}`,
  {}, 'may', async (engine, { signal }, io) => report(io, 'run', await engine.runAll(signal)));

export const stepCommand = remoteCommand('step', 'run one phase (the next one, or PHASE)',
  `usage: ganeti-merge step --journal FILE [--yes] [PHASE]\n\nphases: ${PHASES.map((p) => p.id).join(', ')}\n\n${SSH_USAGE}`, {}, 'never',
  async (engine, { positionals, signal }, io) => {
    if (positionals.length > 1) throw new UsageError('at most one PHASE');
    const id = positionals[0] as PhaseId | undefined;
    if (id !== undefined && !PHASES.some((p) => p.id === id)) throw new UsageError(`unknown phase ${JSON.stringify(id)}`);
    const target = id ?? engine.nextPhase();
    if (!target) {
      io.stdout('every phase is done\n');
      return 0;
    }
    try {
      await engine.runPhase(target, signal);
    } catch (err) {
      if (err instanceof MergeLockError) throw err;
      io.stderr(`ganeti-merge step: failed in phase ${target}: ${(err as Error).message}\n`);
      return 1;
    }
    io.stdout(`${target} done\n`);
    return 0;
  });

export const rollbackCommand = remoteCommand('rollback', 'undo the merge recorded in a journal',
  `usage: ganeti-merge rollback --journal FILE [--force]\n\n${FORCE_USAGE}\n\n${SSH_USAGE}`, {}, 'never',
  async (engine, { signal }, io) => report(io, 'rollback', await engine.rollback(signal)));

export const resumeCommand = remoteCommand('resume', 'continue an interrupted merge or rollback',
  `usage: ganeti-merge resume --journal FILE [--yes] [--force]\n\n${FORCE_USAGE}\n\n${SSH_USAGE}`, {}, 'never',
  async (engine, { signal }, io) => report(io, 'resume', await engine.resume(signal)));

export { statusCommand } from './status-command';
