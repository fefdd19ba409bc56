/**
 * Shared set-up of the lab suites that drive the real CLI on the matrix topology (crash, cancel,
 * rollback-crash): the lab, a temp dir for journals, the ssh options, the `run` argv, and the
 * rule that a case ending in the checked preflight state spares the next one a reset (~15 s).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { StopInstancesPolicy } from '../../../src/core/merger/types';
import { LAB_MERGE_FLAGS, LabInfo, labReset, labUp, requireLab } from '../../lab/lab';
import { CLI } from './cli-process';
import { assertMergedInventory, captureLabState, journalPlan, type LabState } from './lab-state';
import { matrixTopology, type MatrixTopology } from './merge-matrix';

export interface CliLabCases {
  readonly lab: LabInfo;
  readonly topology: MatrixTopology;
  /** Where the cases keep their journals (removed after the suite). */
  readonly dir: string;
  /** --ssh-config and --known-hosts of the lab. */
  readonly ssh: string[];
  /** argv of `ganeti-merge run --yes` merging the matrix topology with `journal` (stop policy: the default, needed, unless given). */
  runArgs(journal: string, stopInstances?: StopInstancesPolicy): string[];
  /** Resets the lab unless the previous case ended in the checked preflight state; returns that state. */
  startCase(): Promise<LabState>;
  /** The case checked that the lab is in its preflight state again. */
  endedInPreflight(): void;
}

/** Registers the suite's before/after hooks (call inside `describe`). */
export function useCliLabCases(tmpPrefix: string): CliLabCases {
  let preflightState = false;
  const cases = {
    lab: undefined as unknown as LabInfo,
    topology: undefined as unknown as MatrixTopology,
    dir: '',
    ssh: [] as string[],
    runArgs(journal: string, stopInstances?: StopInstancesPolicy): string[] {
      return ['run', '--yes', '--journal', journal, '--target', this.topology.target, '--mergee', this.topology.mergee,
        ...LAB_MERGE_FLAGS, ...this.lab.verifyIgnoreErrors.flatMap((c) => ['--ignore-verify-error', c]),
        ...(stopInstances ? ['--stop-instances', stopInstances] : []), ...this.ssh];
    },
    async startCase(): Promise<LabState> {
      if (!preflightState) await labReset();
      preflightState = false;
      return captureLabState(this.lab, [this.topology.targetCluster, this.topology.mergeeCluster]);
    },
    endedInPreflight(): void {
      preflightState = true;
    },
  };

  before(async function () {
    requireLab(this);
    this.timeout(10 * 60_000);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    cases.lab = await labUp();
    cases.topology = matrixTopology(cases.lab);
    cases.dir = mkdtempSync(path.join(tmpdir(), tmpPrefix));
    cases.ssh = ['--ssh-config', cases.lab.sshConfig, '--known-hosts', cases.lab.knownHosts];
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (cases.dir) rmSync(cases.dir, { recursive: true, force: true });
    if (cases.lab && !preflightState) await labReset();
  });

  return cases;
}

/** After a completed merge: the target's whole inventory is the union the plan in `journal` announced. */
export async function assertMergedUnion(cases: CliLabCases, before: LabState, journal: string): Promise<void> {
  const { lab, topology } = cases;
  const merged = (await captureLabState(lab, [topology.targetCluster])).clusters[topology.targetCluster];
  assertMergedInventory(before, merged.inventory, topology.targetCluster, [topology.mergeeCluster], journalPlan(journal));
}
