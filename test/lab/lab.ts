// TypeScript handle on the project's Ganeti lab (test/lab/lab.sh) for integration tests.
// The lab needs root and Linux namespaces; requireLab() skips a suite loudly where it cannot run.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LabNode {
  name: string; // FQDN, e.g. a1.glab.test
  shortName: string; // e.g. a1 (what lab.sh takes)
  ip: string;
  cluster: string; // cluster FQDN
  master: boolean;
  group: string; // its Ganeti node group as built
}

export interface LabInstance {
  name: string;
  node: string; // primary node FQDN
  diskTemplate: 'diskless' | 'file';
  ip: string; // its NIC's address; under kvm its guest answers there (ping, http)
  adminUp: boolean; // false: built stopped (admin down)
}

export interface LabCluster {
  name: string; // FQDN, e.g. clustera.glab.test
  shortName: string;
  ip: string; // the cluster (master) IP
  master: string; // master node FQDN
  nodes: string[];
  instances: LabInstance[]; // as built, before any merge
}

export interface LabInfo {
  domain: string;
  subnet: string;
  hostIp: string; // the host's own address on the lab bridge
  netns: string;
  ganetiVersion: string;
  ganetiLab: '3.0' | '3.1'; // GCM_LAB_GANETI of the lab that is up: 3.0 = the host's Ganeti, 3.1 = Debian 13 root filesystem
  stateDir: string;
  sshConfig: string; // ssh -F this: Host entries map lab names to IPs, with key + known_hosts
  knownHosts: string;
  identityFile: string; // private key authorised for root on every node: never log its content
  user: string;
  targetCluster: string;
  mergeeClusters: string[];
  clusters: LabCluster[];
  nodes: LabNode[];
  verifyIgnoreErrors: string[]; // e.g. ENODESETUP on kernels without /proc/sysrq-trigger
  hypervisor: 'kvm' | 'fake'; // kvm: every instance is a real tiny VM (lib/guest.sh)
  guestAccel: 'kvm' | 'tcg' | null; // how qemu runs the guests (tcg: emulated, only with GCM_LAB_ACCEL=tcg)
  noGuestsReason: string | null; // why the lab fell back to fake (null under kvm)
}

export type LabFault =
  | { kind: 'fail-command'; command: string }
  | { kind: 'link-down' }
  | { kind: 'link-up' }
  | { kind: 'sshd-stop' }
  | { kind: 'sshd-start' };

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const LAB_SCRIPT = path.join(__dirname, 'lab.sh');

export function labStateDir(): string {
  return process.env.GCM_LAB_STATE ?? '/var/tmp/gcm-lab';
}

/**
 * How every lab merge treats what the lab's clusters share by design: same-named node groups are
 * merged, same-named networks (labnet identical, backnet with another subnet) renamed. One home, for
 * the engine's options and the CLI's flags alike.
 */
export const LAB_MERGE_POLICIES = { groups: 'merge', networks: 'rename' } as const;
export const LAB_MERGE_FLAGS: readonly string[] = ['--groups', LAB_MERGE_POLICIES.groups, '--networks', LAB_MERGE_POLICIES.networks];

/** The lab's switch network namespace (lab.sh's GCM_LAB_NETNS, same default). */
export function labNetns(): string {
  return process.env.GCM_LAB_NETNS ?? 'gcm-sw';
}

/** The lab's description as written by `lab.sh up`/`reset`; throws if the lab is not up. */
export function labInfo(): LabInfo {
  const file = path.join(labStateDir(), 'lab.json');
  if (!fs.existsSync(file)) {
    throw new Error(`lab is not up (${file} missing): run \`npm run lab:up\` as root`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LabInfo;
}

/** Why the lab cannot run on this machine, or undefined when it can. */
export function labUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `the Ganeti lab needs Linux namespaces (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'the Ganeti lab needs root (namespaces, veths, bind mounts): run the integration tests as root';
  }
  // the 3.1 lab builds its own Debian 13 root filesystem; the 3.0 lab runs the host's Ganeti
  const needs = process.env.GCM_LAB_GANETI === '3.1' ? '/usr/sbin/debootstrap' : '/usr/lib/ganeti/daemon-util';
  if (!fs.existsSync(needs)) {
    return `${needs} is missing: run \`sudo scripts/install-system-deps.sh\``;
  }
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount', '--uts', '--ipc', '--net', 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) return 'cannot create Linux namespaces here (unshare failed): use a VM or a privileged container';
  return undefined;
}

/** Skips the calling suite/test, loudly, when the lab cannot run here. */
export function requireLab(ctx: Mocha.Context): void {
  const reason = labUnavailableReason();
  if (reason === undefined) return;
  const banner = '#'.repeat(78);
  console.warn(`\n${banner}\n# SKIPPING Ganeti lab tests: ${reason}\n${banner}\n`);
  ctx.skip();
}

/** Skips the calling suite/test, loudly, when the lab has no real guests (fake hypervisor). */
export function requireGuests(ctx: Mocha.Context, lab: LabInfo): void {
  if (lab.hypervisor === 'kvm') return;
  console.warn(`\n# SKIPPING guest tests: the lab has no real guests (${lab.noGuestsReason ?? 'fake hypervisor'})\n`);
  ctx.skip();
}

export interface GuestPage {
  name: string; // the instance name the guest was booted with
  bootId: string; // fresh at every boot: a changed one means the guest was restarted
}

/** What the guest at `ip` serves on http://ip/, or undefined when it does not answer (stopped, booting). */
export async function guestPage(ip: string, timeoutMs = 3000): Promise<GuestPage | undefined> {
  try {
    const res = await fetch(`http://${ip}/`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const fields = Object.fromEntries((await res.text()).split('\n').map((l) => l.split(' ', 2)));
    return fields.name && fields.boot_id ? { name: fields.name, bootId: fields.boot_id } : undefined;
  } catch {
    return undefined;
  }
}

/** The guest's boot id, waiting up to `waitMs` for it to answer (a guest boots in seconds). */
export async function guestBootId(ip: string, waitMs = 60_000): Promise<string | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const page = await guestPage(ip);
    if (page || Date.now() > deadline) return page?.bootId;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/**
 * The environment of a second lab of the other Ganeti version (3.0 <-> 3.1), to run beside this one:
 * own state dir, netns, host link and the next /24 (GCM_LAB_OTHER_SUBNET overrides it).
 */
export function otherLabEnv(): NodeJS.ProcessEnv {
  const subnet = process.env.GCM_LAB_SUBNET ?? '10.254.0';
  const [a, b, c] = subnet.split('.').map(Number);
  return {
    ...process.env,
    GCM_LAB_GANETI: process.env.GCM_LAB_GANETI === '3.1' ? '3.0' : '3.1',
    GCM_LAB_STATE: `${labStateDir()}-other`,
    GCM_LAB_NETNS: `${labNetns()}-o`,
    GCM_LAB_HOST_IF: `${process.env.GCM_LAB_HOST_IF ?? 'gcmlab-host'}o`.slice(0, 15),
    GCM_LAB_SUBNET: process.env.GCM_LAB_OTHER_SUBNET ?? `${a}.${b}.${(c + 1) % 256}`,
  };
}

/** Runs lab.sh with the given arguments (and environment); rejects with its stderr when it fails. */
export function runLab(args: string[], timeoutMs = 900_000, env: NodeJS.ProcessEnv = process.env): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile('bash', [LAB_SCRIPT, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      if (err && args[0] !== 'exec') {
        reject(new Error(`lab.sh ${args.join(' ')} failed (${code}): ${stderr.trim().split('\n').slice(-15).join('\n')}`));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

/** Brings the lab up (fast when a saved image is valid, ~1-2 min when it has to build). */
export async function labUp(): Promise<LabInfo> {
  await runLab(['up']);
  return labInfo();
}

/** Restores the freshly built pre-merge state; resolves to the seconds it took. */
export async function labReset(): Promise<number> {
  const t0 = Date.now();
  await runLab(['reset']);
  return (Date.now() - t0) / 1000;
}

export async function labDown(purge = false): Promise<void> {
  await runLab(purge ? ['down', '--purge'] : ['down']);
}

/** lab.sh takes short names; accept FQDNs too. */
function shortNode(node: string): string {
  const short = node.split('.')[0];
  if (!/^[a-z][a-z0-9]*$/.test(short)) throw new Error(`not a lab node name: ${node}`);
  return short;
}

export async function injectFault(node: string, fault: LabFault): Promise<void> {
  const args = ['fault', shortNode(node), fault.kind];
  if (fault.kind === 'fail-command') args.push(fault.command);
  await runLab(args, 60_000);
}

/** Clears the faults of one node, or of every node. */
export async function clearFaults(node?: string): Promise<void> {
  await runLab(node === undefined ? ['clear-faults'] : ['fault', shortNode(node), 'clear'], 60_000);
}

/** Runs a shell snippet inside a node via nsenter (not ssh): for assertions from outside. */
export function nodeExec(node: string, snippet: string, timeoutMs = 120_000): Promise<ExecResult> {
  return runLab(['exec', shortNode(node), snippet], timeoutMs);
}
