/**
 * `ganeti-merge plan|run|step|rollback|resume|status`: the merge procedure from a terminal, one
 * journal per merge. Exit status: 0 done, 1 the merge or rollback failed (phase and cause on
 * stderr), 2 bad usage.
 */
import * as fs from 'node:fs';
import type { MergeEngine } from '../core/merger/engine';
import { outcomeMessage, succeeded, type MergeOutcome } from '../core/merger/outcome';
import { newMergeId } from '../core/merger/journal';
import { MergeLockError } from '../core/merger/lock-errors';
import { validatePlanOptions, type PlanOptionField } from '../core/merger/plan-options';
import { DEFAULT_PLAN_OPTIONS as D, PHASES, type MergePlanOptions, type PhaseId } from '../core/merger/types';
import { oneLine, quoted } from '../core/safe-text';
import { buildMergePlan } from '../core/report/merge-plan';
import { renderPlanJson, renderPlanMarkdown } from '../core/report/plan-render';
import { choice, parseCommandArgs, UsageError, type CliIo, type Command, type OptionSpec, type ParsedArgs } from './args';
import { openMergeSession } from '../core/session/merge-session';
import { printEvent, printJsonEvent, printJsonLine, sshInputs, sshSessionOptions, SSH_OPTIONS, SSH_USAGE } from './cli-session';
import { checkPaths, type OutputArg } from './paths';

const PLAN_OPTIONS: OptionSpec = {
  target: { type: 'string' },
  mergee: { type: 'string', multiple: true },
  groups: { type: 'string' },
  networks: { type: 'string' },
  params: { type: 'string' },
  restart: { type: 'string' },
  'stop-instances': { type: 'string' },
  'no-stop-instances': { type: 'boolean' },
  'watcher-pause': { type: 'string' },
  'ignore-verify-error': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
};

const PLAN_USAGE = `merge options (plan, and run without an existing journal):
  --target CLUSTER             ssh name of the target cluster or its master
  --mergee CLUSTER             a cluster to fold in (repeat for several)
  --groups refuse|merge|rename same-named node groups (default ${D.groups})
  --networks refuse|merge|rename
                               same-named networks: merge absorbs one with the same subnet into
                               the target's, rename suffixes the incoming name (default ${D.networks})
  --params strict|warn         cluster parameter differences (default ${D.params})
  --restart all|up|none        instances to start after the merge (default ${D.restart})
  --stop-instances all|needed|none
                               running mergee instances to stop first: all; only those the
                               merge changes (the others keep running); none (only check that
                               none runs) (default ${D.stopInstances})
  --no-stop-instances          the same as --stop-instances none
  --watcher-pause SECONDS      (default ${D.watcherPauseSeconds})
  --ignore-verify-error CODE   e.g. ENODESETUP (repeat for several)
  --concurrency N              parallel per-node work (default ${D.concurrency})`;

const COMMON: OptionSpec = { ...SSH_OPTIONS, journal: { type: 'string' }, yes: { type: 'boolean' }, force: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

const FORCE_USAGE = `  --force  go on although the target cluster changed since the merge left it (E_CLUSTER_CHANGED);
           a rollback then LOSES those changes (instances, nodes, tags... made since)`;

const JSON_USAGE = `  --json   events as JSON, one object per line on stdout (the last one: the result)`;

/** The CLI flag of each plan option, for messages. */
const FLAG: { [F in PlanOptionField]: string } = {
  target: '--target', mergees: '--mergee', groups: '--groups', networks: '--networks', params: '--params', restart: '--restart',
  stopInstances: '--stop-instances', watcherPauseSeconds: '--watcher-pause', ignoredVerifyCodes: '--ignore-verify-error',
  concurrency: '--concurrency',
};

/** --stop-instances, or --no-stop-instances as `none` (both only when they agree). */
function stopFlag(values: ParsedArgs['values']): unknown {
  const given = values['stop-instances'];
  if (values['no-stop-instances'] !== true) return given;
  if (given !== undefined && given !== 'none') throw new UsageError(`--no-stop-instances contradicts --stop-instances ${quoted(String(given))}`, 'E_PLAN_OPTION');
  return 'none';
}

/** A decimal flag value as a number; anything else stays a string for the rules to refuse. */
const numeric = (v: unknown) => (typeof v === 'string' && /^[0-9]{1,15}$/.test(v) ? Number(v) : v);

/** The flags as plan options, checked by the one set of rules (validatePlanOptions); exit 2 when refused. */
export function planOptions(values: ParsedArgs['values']): MergePlanOptions {
  const { options, problems } = validatePlanOptions({
    target: values.target,
    mergees: values.mergee,
    groups: values.groups,
    networks: values.networks,
    params: values.params,
    restart: values.restart,
    stopInstances: stopFlag(values),
    watcherPauseSeconds: numeric(values['watcher-pause']),
    ignoredVerifyCodes: values['ignore-verify-error'],
    concurrency: numeric(values.concurrency),
  }, { clusters: true });
  const p = problems[0];
  if (p) {
    const code = p.field === 'target' || p.field === 'mergees' ? 'E_NAME_INVALID' : 'E_PLAN_OPTION';
    const got = p.got === undefined ? 'nothing' : quoted(Array.isArray(p.got) ? p.got.join(' ') : p.got);
    throw new UsageError(`${FLAG[p.field]} must be ${p.expected}, got ${got}`, code);
  }
  return options;
}

function report(io: CliIo, name: string, outcome: MergeOutcome, json: boolean): number {
  const ok = succeeded(outcome);
  if (json) printJsonLine(io, { type: 'result', command: name, ...outcome });
  if (ok) {
    if (!json) io.stdout(`${outcome.outcome}\n`);
    return 0;
  }
  io.stderr(`ganeti-merge ${name}: ${outcome.outcome}${outcome.phase ? ` in phase ${outcome.phase}` : ''}: ${oneLine(outcome.error ?? 'no cause recorded')}\n`);
  return 1;
}

const PLAN_FORMATS = ['text', 'md', 'json'] as const;

type Action = (engine: MergeEngine, args: { positionals: string[]; signal: AbortSignal; values: ParsedArgs['values']; json: boolean }, io: CliIo) => Promise<number>;

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
      // Names and options first, then every file: nothing is written, resolved or dialled before.
      const plan = creating ? planOptions(values) : undefined;
      journal ??= `${newMergeId()}.json`;
      const json = values.json === true;
      if ('format' in options) choice(values, 'format', PLAN_FORMATS, 'text'); // refused before anything is written
      const journalArg: OutputArg = { flag: '--journal', path: journal, ...(creating ? { mustNotExist: true } : { alsoInput: true }) };
      const ssh = sshSessionOptions(values, io, values.yes === true);
      checkPaths({ inputs: sshInputs(values), outputs: [journalArg] });
      // a JournalError (unreadable, invalid, exists) or MergeLockError (a lock held, the target
      // changed) leaves through main's one formatter with its code
      const session = openMergeSession({ ...ssh, journalFile: journal, plan, frontEnd: 'cli', onChanged: values.force === true ? 'force' : 'refuse', note: (m) => io.stderr(`${oneLine(m)}\n`) });
      const engine = session.engine;
      try {
        if (plan && json) printJsonLine(io, { type: 'journal', file: journal });
        else if (plan) io.stderr(`journal: ${quoted(journal)}\n`);
        engine.onEvent((e) => (json ? printJsonEvent(io, e) : printEvent(io, e)));
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.once('SIGINT', onSignal);
        try {
          return await action(engine, { positionals, signal: controller.signal, values, json }, io);
        } catch (err) {
          // A merge this command just created and that was refused by its locks before it did anything leaves nothing behind.
          if (err instanceof MergeLockError && plan && engine.statuses().every((s) => s.state === 'pending')) {
            engine.files.removeAll();
            fs.rmSync(engine.journal.file, { force: true });
          }
          throw err;
        } finally {
          process.off('SIGINT', onSignal);
        }
      } finally {
        await session.close();
      }
    },
  };
}

/** A step that did not end 'done': its cause, or a throw other than a lock refusal, as one line on stderr. */
async function stepped(io: CliIo, name: string, phase: () => string, step: () => Promise<MergeOutcome>): Promise<boolean> {
  let message: string | undefined;
  try {
    const outcome = await step();
    if (outcome.outcome === 'done') return true;
    message = outcomeMessage(outcome);
  } catch (err) {
    if (err instanceof MergeLockError) throw err;
    message = (err as Error).message;
  }
  io.stderr(`ganeti-merge ${name}: failed in phase ${phase()}: ${oneLine(message ?? 'no cause recorded')}\n`);
  return false;
}

async function runSteps(engine: MergeEngine, io: CliIo, name: string, signal: AbortSignal, until?: PhaseId): Promise<number> {
  const failed = () => engine.statuses().find((s) => s.state === 'failed')?.id ?? '?';
  for (;;) {
    const id = engine.nextPhase();
    if (!id) break;
    if (!(await stepped(io, name, failed, () => engine.runPhase(id, signal)))) return 1;
    if (id === until) break;
  }
  return 0;
}

export const planCommand = remoteCommand('plan', 'preflight only: check the clusters and compute the merge (changes nothing)',
  `usage: ganeti-merge plan --target CLUSTER --mergee CLUSTER... [--journal FILE] [--format text|md|json] [--json] [options]\n\n  --format text|md|json  the plan as a summary (default), a Markdown document or JSON\n${JSON_USAGE}\n\n${PLAN_USAGE}\n\n${SSH_USAGE}`,
  { format: { type: 'string' } }, 'must',
  async (engine, { signal, values, json }, io) => {
    const format = choice(values, 'format', PLAN_FORMATS, 'text');
    const code = await runSteps(engine, io, 'plan', signal, 'preflight');
    if (code !== 0) return code;
    const plan = buildMergePlan(engine.journal.doc);
    if (json) printJsonLine(io, { type: 'plan', journal: engine.journal.file, plan });
    else if (format === 'md' && plan) io.stdout(renderPlanMarkdown(plan));
    else if (format === 'json' && plan) io.stdout(renderPlanJson(plan));
    else io.stdout(`${engine.journal.doc.facts?.mergeSummary ?? ''}\njournal: ${engine.journal.file}\n`);
    return 0;
  });

export const runCommand = remoteCommand('run', 'run (or continue) the whole merge',
  `usage: ganeti-merge run [--yes] [--json] [--journal FILE] [--target CLUSTER --mergee CLUSTER...] [options]\n\nWith an existing journal, continues that merge.\n  --yes   approve writing the config and passing the point of no return\n${FORCE_USAGE}\n${JSON_USAGE}\n\n${PLAN_USAGE}\n\n${SSH_USAGE}`,
  {}, 'may', async (engine, { signal, json }, io) => report(io, 'run', await engine.runAll(signal), json));

export const stepCommand = remoteCommand('step', 'run one phase (the next one, or PHASE)',
  `usage: ganeti-merge step --journal FILE [--yes] [PHASE]\n\nphases: ${PHASES.map((p) => p.id).join(', ')}\n\n${SSH_USAGE}`, {}, 'never',
  async (engine, { positionals, signal }, io) => {
    if (positionals.length > 1) throw new UsageError('at most one PHASE');
    const id = positionals[0] as PhaseId | undefined;
    if (id !== undefined && !PHASES.some((p) => p.id === id)) throw new UsageError(`unknown phase ${quoted(id)}`);
    const target = id ?? engine.nextPhase();
    if (!target) {
      io.stdout('every phase is done\n');
      return 0;
    }
    // the engine's answer, the same the editor's panel and palette show
    const refusal = engine.runRefusal(target);
    if (refusal) {
      io.stderr(`ganeti-merge step: refused: ${refusal}\n`);
      return 1;
    }
    if (!(await stepped(io, 'step', () => target, () => engine.runPhase(target, signal)))) return 1;
    io.stdout(`${target} done\n`);
    return 0;
  });

export const rollbackCommand = remoteCommand('rollback', 'undo the merge recorded in a journal',
  `usage: ganeti-merge rollback --journal FILE [--force] [--json]\n\n${FORCE_USAGE}\n${JSON_USAGE}\n\n${SSH_USAGE}`, {}, 'never',
  async (engine, { signal, json }, io) => report(io, 'rollback', await engine.rollback(signal), json));

export const resumeCommand = remoteCommand('resume', 'continue an interrupted merge or rollback',
  `usage: ganeti-merge resume --journal FILE [--yes] [--force] [--json]\n\n${FORCE_USAGE}\n${JSON_USAGE}\n\n${SSH_USAGE}`, {}, 'never',
  async (engine, { signal, json }, io) => report(io, 'resume', await engine.resume(signal), json));

export { statusCommand } from './status-command';
