/**
 * Lab benchmark (issue #4): wall time of our merge of the lab's mergees into its target against a
 * serial reference that runs the same phases and commands one at a time over one connection per
 * command (as Ganeti's old cluster-merge did), on the same lab in the same run, each from a fresh
 * reset. Prints the ratio (target <= 0.7), the ssh connections per host (target 1) and the tool's
 * own overhead beyond the remote commands' critical path (target <= 3%). Leaves the lab reset to
 * its pre-merge state. Needs the Ganeti lab (root, Linux); skips loudly elsewhere.
 *
 *   node --import tsx bench/lab-merge.bench.ts      (under the lab lock where several users share the lab)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../src/core/merger/create';
import type { MergeEngine } from '../src/core/merger/engine';
import { READDED_NODES_KNOWN_HOSTS, WorkFiles } from '../src/core/merger/work-files';
import type { MergePlanOptions, PhaseId } from '../src/core/merger/types';
import { ScriptedPrompter } from '../src/core/remote/prompter';
import { SshCommandRunner, type CommandRunner } from '../src/core/remote/runner';
import { Transcript, type TranscriptEvent } from '../src/core/remote/transcript';
import { SshPool } from '../src/core/remote/transport';
import { labReset, labUnavailableReason, labUp, type LabInfo } from '../test/lab/lab';
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
  return { target: masterOf(lab.targetCluster), mergees: lab.mergeeClusters.map(masterOf), groups: 'merge', restart: 'all', ignoredVerifyCodes: lab.verifyIgnoreErrors };
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

function report(ours: RunResult, serial: RunResult): boolean {
  const ratio = ours.wallMs / serial.wallMs;
  const perHost = (r: RunResult) => [...r.connections].sort().map(([h, n]) => `${h.split('.')[0]}=${n}`).join(' ');
  const maxPerHost = Math.max(...ours.connections.values());
  const t = ours.timeline;
  const overhead = t.overheadMs / t.wallMs;
  console.log('\nphase                              ours    serial');
  for (const [id, ms] of serial.phases) console.log(`  ${id.padEnd(30)} ${seconds(ours.phases.get(id) ?? NaN).padStart(8)} ${seconds(ms).padStart(8)}`);
  console.log(`\nwall time: ours ${seconds(ours.wallMs)}, serial reference ${seconds(serial.wallMs)}`);
  console.log(`ratio ours/serial: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'MISSED'}`);
  console.log(`ssh connections per host: ours ${perHost(ours)} (target 1) ${maxPerHost <= 1 ? 'OK' : 'MISSED'}; serial ${perHost(serial)}`);
  console.log(`remote commands: ours ${t.commands} (${t.failedCommands} failed), serial ${serial.timeline.commands} (${serial.timeline.failedCommands} failed)`);
  console.log(`ours: remote commands in flight ${seconds(t.remoteMs)}, retry back-off after failed polls ${seconds(t.backoffMs)}, tool overhead ${seconds(t.overheadMs)}`);
  const s = serial.timeline;
  console.log(`serial: remote commands in flight ${seconds(s.remoteMs)}, between commands (a connection per command, tool) ${seconds(s.overheadMs + s.backoffMs)}`);
  const jobs = SINGLE_GANETI_JOBS.reduce((sum, id) => sum + (ours.phases.get(id) ?? 0), 0);
  console.log(`ours: ${percent(jobs / ours.wallMs)} of wall in phases that are one Ganeti job or a serial job chain (${SINGLE_GANETI_JOBS.join(', ')}): neither parallel nodes nor connection reuse shorten them`);
  console.log(`tool overhead beyond the remote critical path: ${percent(overhead)} of wall (target <= ${percent(TARGET_OVERHEAD)}) ${overhead <= TARGET_OVERHEAD ? 'OK' : 'MISSED'}`);
  console.log(`  largest overhead gaps: ${t.largestGaps.map((g) => `${seconds(g.ms)} after ${g.after}`).join('; ')}`);
  return ratio <= TARGET_RATIO && maxPerHost <= 1 && overhead <= TARGET_OVERHEAD;
}

async function main(): Promise<number> {
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.warn(`SKIPPING the lab merge benchmark: ${unavailable}`);
    return 0;
  }
  const lab = await labUp();
  const dir = mkdtempSync(path.join(tmpdir(), 'gcm-lab-bench-'));
  try {
    const ours = await timedMerge('ours', lab, dir, 4, (journal, transcript) => {
      const pool = poolFor(lab, journal, transcript);
      return { runner: new SshCommandRunner(pool), connections: () => pool.connectionsByHost(), close: () => pool.close() };
    });
    const serial = await timedMerge('serial', lab, dir, 1, (journal, transcript) => {
      const runner = new SerialFreshConnectionRunner(() => poolFor(lab, journal, transcript));
      return { runner, connections: () => runner.connectionsByHost(), close: async () => undefined };
    });
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
