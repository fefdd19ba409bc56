/**
 * Downtime benchmark (issue 13): for each stop policy (all, needed), a full merge of the lab from
 * a fresh reset, then its full rollback, while every instance's liveness and boot identity are
 * sampled every 100 ms. Prints per instance whether the plan kept or stopped it (and why), its
 * longest gap and whether it was restarted, in the merge and in the rollback; then the totals.
 * Target: with `needed`, 0 restarts and no gap for every instance the plan keeps running.
 *
 * The measure (printed): with real guests (lab hypervisor kvm) an instance is up while its guest
 * answers http://IP/ and its boot id is the one the guest serves; without guests (fake
 * hypervisor) it is up while Ganeti's runtime file /run/ganeti/fake-hypervisor/NAME exists (the
 * fake hypervisor's "process"), and its identity is that file's inode and mtime, new at every
 * start. Ganeti's own view (`gnt-instance list -o name,oper_state`) is read before and after each
 * stage, and after the `needed` merge `gnt-cluster verify` and one ganeti-watcher run per node
 * show whether Ganeti agrees and leaves the kept instances alone.
 *
 *   node --import tsx bench/downtime.bench.ts     (root, the lab's environment; leaves the lab reset)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startMerge } from '../src/core/session/create';
import type { InstanceStopPlan } from '../src/core/merger/facts';
import { READDED_NODES_KNOWN_HOSTS, WorkFiles } from '../src/core/merger/work-files';
import type { StopInstancesPolicy } from '../src/core/merger/types';
import { ganeti } from '../src/core/remote';
import { ScriptedPrompter } from '../src/core/operator/prompter';
import { SshCommandRunner } from '../src/core/remote/runner';
import { SshPool } from '../src/core/remote/transport';
import { guestPage, LAB_MERGE_POLICIES, labReset, labUnavailableReason, labUp, nodeExec, type LabInfo, type LabInstance } from '../test/lab/lab';

const PERIOD_MS = 100;
const POLICIES: readonly StopInstancesPolicy[] = ['all', 'needed'];

/** One sample of an instance: its identity while up, undefined while down. */
type Probe = (i: LabInstance) => Promise<string | undefined>;

function probeFor(lab: LabInfo): { measure: string; probe: Probe } {
  if (lab.hypervisor === 'kvm') {
    return {
      measure: 'real guests: up = the guest answers http://IP/ (300 ms timeout), identity = its boot id',
      probe: async (i) => (await guestPage(i.ip, 300))?.bootId,
    };
  }
  const short = (node: string) => lab.nodes.find((n) => n.name === node)!.shortName;
  return {
    measure: `no real guests (${lab.noGuestsReason ?? 'fake hypervisor'}): up = the fake hypervisor's runtime file /run/ganeti/fake-hypervisor/NAME exists, identity = its inode and mtime (new at every start)`,
    // the node's /run/ganeti/fake-hypervisor is bind-mounted from here: read from the host, no process per sample
    probe: async (i) => {
      try {
        const s = statSync(path.join(lab.stateDir, 'nodes', short(i.node), 'fake-hv', i.name), { bigint: true });
        return `${s.ino}:${s.mtimeNs}`;
      } catch {
        return undefined;
      }
    },
  };
}

interface Track {
  last?: string; // identity at the last sample it was up
  downSince?: number;
  longestGapMs: number;
  restarts: number; // a new identity after a gap, or in place of the old one
}

/** Samples every instance every PERIOD_MS until stopped; one Track per instance per stage. */
class Sampler {
  private tracks = new Map<string, Track>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  maxPeriodMs = 0;
  private lastAt = 0;

  constructor(private readonly instances: readonly LabInstance[], private readonly probe: Probe) {}

  /** Starts a new stage (merge or rollback); returns when the first sample is in. */
  async start(): Promise<void> {
    this.tracks = new Map(this.instances.map((i) => [i.name, { longestGapMs: 0, restarts: 0 }]));
    this.lastAt = 0; // the pause between two stages is no sampling interval
    await this.sample();
    this.timer = setInterval(() => void this.sample(), PERIOD_MS);
  }

  async stop(): Promise<Map<string, Track>> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.sample();
    const now = Date.now();
    for (const t of this.tracks.values()) if (t.downSince !== undefined) t.longestGapMs = Math.max(t.longestGapMs, now - t.downSince);
    return this.tracks;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const now = Date.now();
    if (this.lastAt) this.maxPeriodMs = Math.max(this.maxPeriodMs, now - this.lastAt);
    this.lastAt = now;
    const ids = await Promise.all(this.instances.map((i) => this.probe(i)));
    this.instances.forEach((inst, k) => {
      const t = this.tracks.get(inst.name)!;
      const id = ids[k];
      if (id === undefined) {
        t.downSince ??= now;
        return;
      }
      if (t.downSince !== undefined) {
        t.longestGapMs = Math.max(t.longestGapMs, now - t.downSince);
        t.downSince = undefined;
      }
      // another identity than at the last sample it was up: it was started again
      if (t.last !== undefined && t.last !== id) t.restarts++;
      t.last = id;
    });
    this.busy = false;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface StageResult {
  readonly tracks: Map<string, Track>;
  readonly wallMs: number;
}

async function operStates(runner: SshCommandRunner, masters: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const m of masters) out.push(...(await runner.run(m, ganeti.instanceList())).map((i) => `${i.name.split('.')[0]}=${i.running ? 'running' : i.status}`));
  return out.sort().join(' ');
}

async function benchPolicy(lab: LabInfo, policy: StopInstancesPolicy, dir: string, measure: { probe: Probe }): Promise<{ merge: StageResult; rollback: StageResult; plan: readonly InstanceStopPlan[]; instances: LabInstance[]; ok: boolean }> {
  console.log(`\n== stop policy ${policy}: lab reset ${seconds(1000 * await labReset())}`);
  const masterOf = (cluster: string) => lab.clusters.find((c) => c.name === cluster)!.master;
  const target = masterOf(lab.targetCluster);
  const instances = lab.clusters.flatMap((c) => c.instances);
  const journal = path.join(dir, `${policy}.json`);
  const prompter = new ScriptedPrompter({ hostKey: false, confirm: true });
  const pool = new SshPool({
    prompter, sshConfigPath: lab.sshConfig, knownHostsPath: lab.knownHosts, agentSocket: null,
    alsoTrustedKnownHostsPaths: [WorkFiles.forJournal(journal).pathOf(READDED_NODES_KNOWN_HOSTS)],
  });
  const runner = new SshCommandRunner(pool);
  const sampler = new Sampler(instances, measure.probe);
  let ok = true;
  try {
    console.log(`Ganeti before: ${await operStates(runner, lab.clusters.map((c) => c.master))}`);
    const engine = startMerge(journal, {
      target, mergees: lab.mergeeClusters.map(masterOf), ...LAB_MERGE_POLICIES, restart: 'all', stopInstances: policy,
      ignoredVerifyCodes: lab.verifyIgnoreErrors, concurrency: 4,
    }, { runner, prompter, transcript: pool.transcript });

    await sampler.start();
    let t0 = Date.now();
    const merged = await engine.runAll();
    const merge = { tracks: await sampler.stop(), wallMs: Date.now() - t0 };
    if (merged.outcome !== 'merged') throw new Error(`the ${policy} merge did not complete: ${merged.outcome} ${merged.error ?? ''}`);
    console.log(`merged in ${seconds(merge.wallMs)}; Ganeti after the merge: ${await operStates(runner, [target])}`);
    if (policy === 'needed') ok = (await ganetiAgrees(lab, runner, target, instances, measure.probe)) && ok;

    await sampler.start();
    t0 = Date.now();
    const rolled = await engine.rollback();
    const rollback = { tracks: await sampler.stop(), wallMs: Date.now() - t0 };
    if (rolled.outcome !== 'rolled-back') throw new Error(`the ${policy} rollback did not complete: ${rolled.outcome} ${rolled.error ?? ''}`);
    console.log(`rolled back in ${seconds(rollback.wallMs)}; Ganeti after the rollback: ${await operStates(runner, lab.clusters.map((c) => c.master))}`);
    console.log(`longest interval between two samples within a stage: ${sampler.maxPeriodMs} ms`);
    return { merge, rollback, plan: engine.journal.doc.facts?.instanceStops ?? [], instances, ok };
  } finally {
    await pool.close();
  }
}

/**
 * After the `needed` merge: `gnt-cluster verify` on the merged cluster, then ganeti-watcher run
 * once on every node (as cron would; the merge resumed it), and no instance restarted by it.
 */
async function ganetiAgrees(lab: LabInfo, runner: SshCommandRunner, target: string, instances: readonly LabInstance[], probe: Probe): Promise<boolean> {
  const v = await runner.run(target, ganeti.clusterVerify({ ignoreErrors: lab.verifyIgnoreErrors }));
  const errors = v.errors.map((e) => `${e.code} ${e.objectName}: ${e.message}`);
  console.log(`gnt-cluster verify on the merged cluster (ignoring ${lab.verifyIgnoreErrors.join(', ') || 'nothing'}): ${errors.length ? errors.join('; ') : 'clean'}`);
  const before = await Promise.all(instances.map(probe));
  const watcher: string[] = [];
  for (const n of lab.nodes) {
    const r = await nodeExec(n.shortName, 'ganeti-watcher 2>&1; echo "exit $?"; tail -n 3 /var/log/ganeti/watcher.log 2>/dev/null | grep -iE "restart|start" || true', 300_000);
    watcher.push(`${n.shortName}: ${r.stdout.trim().split('\n').join(' / ')}`);
  }
  const after = await Promise.all(instances.map(probe));
  const changed = instances.filter((_, k) => before[k] !== after[k]).map((i) => i.name);
  console.log(`ganeti-watcher once on every node: ${watcher.join('; ')}`);
  console.log(`instances the watcher restarted or stopped: ${changed.length ? changed.join(', ') : 'none'}`);
  return errors.length === 0 && changed.length === 0;
}

function report(policy: StopInstancesPolicy, r: Awaited<ReturnType<typeof benchPolicy>>, lab: LabInfo): boolean {
  const mergees = new Set(lab.mergeeClusters);
  const planOf = new Map(r.plan.map((p) => [p.instance, p]));
  const role = (i: LabInstance) => {
    const cluster = lab.clusters.find((c) => c.instances.includes(i))!.name;
    if (!mergees.has(cluster)) return { kept: true, why: 'target instance (the merge never stops it)' };
    const p = planOf.get(i.name);
    if (!p) return { kept: false, why: 'not in the plan' };
    return p.stop ? { kept: false, why: p.reasons.length ? p.reasons.join('; ') : `policy ${policy}` } : { kept: true, why: 'the merge changes nothing its guest sees' };
  };
  console.log(`\ninstance            plan     merge: longest gap  restarted   rollback: longest gap  restarted   why`);
  let restartsKept = 0, worstKeptGap = 0, restarts = 0, downMs = 0;
  for (const i of r.instances) {
    const { kept, why } = role(i);
    const m = r.merge.tracks.get(i.name)!;
    const b = r.rollback.tracks.get(i.name)!;
    restarts += m.restarts + b.restarts;
    downMs += m.longestGapMs + b.longestGapMs;
    if (kept) {
      restartsKept += m.restarts + b.restarts;
      worstKeptGap = Math.max(worstKeptGap, m.longestGapMs, b.longestGapMs);
    }
    const yes = (n: number) => (n ? `yes (${n})` : 'no');
    console.log(`${i.name.split('.')[0].padEnd(19)} ${(kept ? 'kept' : 'stopped').padEnd(8)} ${seconds(m.longestGapMs).padStart(19)}  ${yes(m.restarts).padEnd(10)} ${seconds(b.longestGapMs).padStart(22)}  ${yes(b.restarts).padEnd(10)}  ${why}`);
  }
  console.log(`totals (${policy}): merge ${seconds(r.merge.wallMs)}, rollback ${seconds(r.rollback.wallMs)}; restarts ${restarts} (of kept instances: ${restartsKept}); summed longest gaps ${seconds(downMs)}; longest gap of a kept instance ${seconds(worstKeptGap)}`);
  const met = restartsKept === 0 && worstKeptGap <= 1000 && r.ok;
  if (policy === 'needed') console.log(`target (needed: 0 restarts, no gap over 1 s for kept instances, verify clean, watcher restarts nothing): ${met ? 'MET' : 'MISSED'}`);
  return policy !== 'needed' || met;
}

async function main(): Promise<number> {
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.warn(`SKIPPING the downtime benchmark: ${unavailable}`);
    return 0;
  }
  const lab = await labUp();
  const measure = probeFor(lab);
  console.log(`measure: ${measure.measure}; sampled every ${PERIOD_MS} ms`);
  const dir = mkdtempSync(path.join(tmpdir(), 'gcm-downtime-bench-'));
  let met = true;
  try {
    for (const policy of POLICIES) met = report(policy, await benchPolicy(lab, policy, dir, measure), lab) && met;
  } finally {
    console.log(`\nlab reset to the pre-merge state: ${seconds(1000 * await labReset())}`);
    rmSync(dir, { recursive: true, force: true });
  }
  return met ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
});
