/**
 * Lab benchmark (issue #4): wall time of our merge of the lab's mergees into its target against a
 * serial reference that runs the same phases and commands one at a time over one connection per
 * command (as Ganeti's old cluster-merge did), on the same lab in the same run, each from a fresh
 * reset. Prints the ratio (target <= 0.7), the ssh connections per host (target 1) and the tool's
 * own overhead beyond the remote commands' critical path (target <= 3%). Leaves the lab reset to
 * its pre-merge state. Needs the Ganeti lab (root, Linux); skips loudly elsewhere.
 *
 *   node --import tsx bench/lab-merge.bench.ts [--rounds N]   (default 2: ours, serial, serial, ours)
 * Run it under the lab lock where several users share the lab.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../src/core/session/create';
import type { MergeEngine } from '../src/core/merger/engine';
import { READDED_NODES_KNOWN_HOSTS, WorkFiles } from '../src/core/merger/work-files';
import type { MergePlanOptions, PhaseId } from '../src/core/merger/types';
import { ScriptedPrompter } from '../src/core/operator/prompter';
import { SshCommandRunner, type CommandRunner } from '../src/core/remote/runner';
import { Transcript, type TranscriptEvent } from '../src/core/remote/transcript';
import { SshPool } from '../src/core/remote/transport';
import { LAB_MERGE_POLICIES, labReset, labUnavailableReason, labUp, type LabInfo } from '../test/lab/lab';
import { SerialFreshConnectionRunner } from './lab-serial-runner';
import { timeline, type Timeline } from './lab-timeline';

const TARGET_RATIO = 0.7;
const TARGET_OVERHEAD = 0.03;
/** Phases whose time is Ganeti's own (re-adds take the cluster lock one node at a time). */
const SINGLE_GANETI_JOBS: readonly PhaseId[] = ['verify-target', 'readd-nodes', 'redistribute', 'restart-master', 'start-instances', 'verify-merged'];

interface RunResult {
  readonly name: string;
  readonly wallMs: number;
  readonly connections: ReadonlyMap<string, number>;
  readonly timeline: Timeline;
  readonly phases: Map<PhaseId, number>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function plan(lab: LabInfo): Pick<MergePlanOptions, 'target' | 'mergees'> & Partial<MergePlanOptions> {
  const masterOf = (cluster: string) => lab.clusters.find((c) => c.name === cluster)!.master;
  // Masters' names: the clusters' master IPs move during the merge.
  return { target: masterOf(lab.targetCluster), mergees: lab.mergeeClusters.map(masterOf), ...LAB_MERGE_POLICIES, restart: 'all', ignoredVerifyCodes: lab.verifyIgnoreErrors };
}

/** One merge from a freshly reset lab; `runnerFor` gives the runner given the journal's file. */
async function timedMerge(name: string, lab: LabInfo, dir: string, concurrency: number,
  runnerFor: (journal: string, transcript: Transcript) => { runner: CommandRunner; connections: () => ReadonlyMap<string, number>; close(): Promise<void> }): Promise<RunResult> {
  console.log(`[${name}] lab reset: ${seconds(1000 * await labReset())}`);
  const journal = path.join(dir, `${name}.json`);
  const transcript = new Transcript();
  const events: TranscriptEvent[] = [];
  transcript.onEvent((e) => events.push(e));
  const session = runnerFor(journal, transcript);
  const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });
  const engine: MergeEngine = startMerge(journal, { ...plan(lab), concurrency }, { runner: session.runner, prompter, transcript });
  const phases = new Map<PhaseId, number>();
  engine.onEvent((e) => {
    if (e.type === 'phase' && e.phase.state === 'done' && e.phase.startedAt && e.phase.finishedAt) phases.set(e.phase.id, e.phase.finishedAt - e.phase.startedAt);
  });
  const t0 = Date.now();
  try {
    const outcome = await engine.runAll();
    const t1 = Date.now();
    if (outcome.outcome !== 'merged') throw new Error(`[${name}] the merge did not complete: ${outcome.outcome} ${outcome.error ?? ''}`);
    console.log(`[${name}] merged in ${seconds(t1 - t0)} (${events.length} remote commands)`);
    return { name, wallMs: t1 - t0, connections: session.connections(), timeline: timeline(events, t0, t1), phases };
  } finally {
    await session.close();
  }
}

function poolFor(lab: LabInfo, journal: string, transcript: Transcript): SshPool {
  return new SshPool({
    prompter: new ScriptedPrompter({ hostKey: false }), transcript, agentSocket: null,
    sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts,
    // Ganeti gives re-added nodes the target's host keys; the readd phase records them here.
    alsoTrustedKnownHostsPaths: [WorkFiles.forJournal(journal).pathOf(READDED_NODES_KNOWN_HOSTS)],
  });
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Sums over the rounds: a busy moment of the shared machine weighs on both sides alike. */
function report(ours: readonly RunResult[], serial: readonly RunResult[]): boolean {
  const ratio = sum(ours.map((r) => r.wallMs)) / sum(serial.map((r) => r.wallMs));
  const perHost = (r: RunResult) => [...r.connections].sort().map(([h, n]) => `${h.split('.')[0]}=${n}`).join(' ');
  const maxPerHost = Math.max(...ours.flatMap((r) => [...r.connections.values()]));
  const overhead = sum(ours.map((r) => r.timeline.overheadMs)) / sum(ours.map((r) => r.wallMs));
  const mean = (runs: readonly RunResult[], id: PhaseId) => sum(runs.map((r) => r.phases.get(id) ?? NaN)) / runs.length;
  console.log(`
phase (mean of ${ours.length} run(s))         ours    serial`);
  for (const id of serial[0].phases.keys()) console.log(`  ${id.padEnd(30)} ${seconds(mean(ours, id)).padStart(8)} ${seconds(mean(serial, id)).padStart(8)}`);
  console.log(`
wall time: ours ${ours.map((r) => seconds(r.wallMs)).join(', ')}; serial reference ${serial.map((r) => seconds(r.wallMs)).join(', ')}`);
  console.log(`ratio ours/serial: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'MISSED'}`);
  console.log(`ssh connections per host: ours ${perHost(ours[0])} (target 1) ${maxPerHost <= 1 ? 'OK' : 'MISSED'}; serial ${perHost(serial[0])}`);
  const t = ours[0].timeline;
  const s = serial[0].timeline;
  console.log(`remote commands per merge: ours ${t.commands} (${t.failedCommands} failed), serial ${s.commands} (${s.failedCommands} failed)`);
  for (const r of ours) {
    console.log(`ours: remote commands in flight ${seconds(r.timeline.remoteMs)}, retry back-off after failed polls ${seconds(r.timeline.backoffMs)}, tool overhead ${seconds(r.timeline.overheadMs)}`);
  }
  for (const r of serial) {
    console.log(`serial: remote commands in flight ${seconds(r.timeline.remoteMs)}, between commands (a connection per command, tool) ${seconds(r.timeline.overheadMs + r.timeline.backoffMs)}`);
  }
  const jobs = sum(ours.flatMap((r) => SINGLE_GANETI_JOBS.map((id) => r.phases.get(id) ?? 0))) / sum(ours.map((r) => r.wallMs));
  console.log(`ours: ${percent(jobs)} of wall in phases that are one Ganeti job or a serial job chain (${SINGLE_GANETI_JOBS.join(', ')}): neither parallel nodes nor connection reuse shorten them, so the ratio moves with the machine's load`);
  console.log(`tool overhead beyond the remote critical path: ${percent(overhead)} of wall (target <= ${percent(TARGET_OVERHEAD)}) ${overhead <= TARGET_OVERHEAD ? 'OK' : 'MISSED'}`);
  console.log(`  largest overhead gaps: ${t.largestGaps.map((g) => `${seconds(g.ms)} after ${g.after}`).join('; ')}`);
  return ratio <= TARGET_RATIO && maxPerHost <= 1 && overhead <= TARGET_OVERHEAD;
}

function rounds(): number {
  const at = process.argv.indexOf('--rounds');
  const value = at >= 0 ? process.argv[at + 1] : '2';
  if (!/^[1-9]$/.test(value ?? '')) throw new Error(`--rounds must be 1..9, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function main(): Promise<number> {
  const n = rounds();
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.warn(`SKIPPING the lab merge benchmark: ${unavailable}`);
    return 0;
  }
  const lab = await labUp();
  const dir = mkdtempSync(path.join(tmpdir(), 'gcm-lab-bench-'));
  const ours: RunResult[] = [];
  const serial: RunResult[] = [];
  const runOurs = async (i: number) => ours.push(await timedMerge(`ours-${i}`, lab, dir, 4, (journal, transcript) => {
    const pool = poolFor(lab, journal, transcript);
    return { runner: new SshCommandRunner(pool), connections: () => pool.connectionsByHost(), close: () => pool.close() };
  }));
  const runSerial = async (i: number) => serial.push(await timedMerge(`serial-${i}`, lab, dir, 1, (journal, transcript) => {
    const runner = new SerialFreshConnectionRunner(() => poolFor(lab, journal, transcript));
    return { runner, connections: () => runner.connectionsByHost(), close: async () => undefined };
  }));
  try {
    console.log(`${n} round(s), alternating which side goes first (ABBA...); load average ${loadavg()}`);
    for (let i = 1; i <= n; i++) {
      if (i % 2 === 1) {
        await runOurs(i);
        await runSerial(i);
      } else {
        await runSerial(i);
        await runOurs(i);
      }
    }
    console.log(`load average after: ${loadavg()}`);
    const met = report(ours, serial);
    console.log(met ? '\nall lab benchmark targets met' : '\nsome lab benchmark targets missed (see above)');
    return met ? 0 : 1;
  } finally {
    console.log(`lab reset to the pre-merge state: ${seconds(1000 * await labReset())}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
});
