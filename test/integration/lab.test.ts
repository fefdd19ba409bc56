/*
 * The project's Ganeti lab itself (test/lab): reachable from the host over ssh with real host key
 * checking, Ganeti 3.0, the designed pre-merge topology, a fast reset, and working fault injection.
 * Uses the system ssh client with the lab's ssh config, as a person or the CLI would.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  clearFaults, guestBootId, guestPage, injectFault, labInfo, labReset, labUp, nodeExec, requireGuests, requireLab, type LabInfo,
} from '../lab/lab';

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 255) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

describe('the Ganeti lab (test/lab)', function () {
  this.timeout(900_000);
  let lab: LabInfo;
  const ssh = (host: string, command: string, extra: string[] = []): Promise<Run> =>
    run('ssh', ['-F', lab.sshConfig, ...extra, host, command]);
  const sshOk = async (host: string, command: string): Promise<string> => {
    const r = await ssh(host, command);
    assert.equal(r.code, 0, `ssh ${host} '${command}' failed: ${r.stderr}`);
    return r.stdout;
  };
  const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').sort();

  // What every cluster must look like right after bring-up or reset.
  async function assertPreMergeState(): Promise<void> {
    for (const cluster of lab.clusters) {
      assert.equal((await sshOk(cluster.master, 'gnt-cluster getmaster')).trim(), cluster.master);
      assert.deepEqual(lines(await sshOk(cluster.master, 'gnt-node list --no-headers --separator="|" -o name,group')),
        lab.nodes.filter((n) => n.cluster === cluster.name).map((n) => `${n.name}|${n.group}`).sort());
      const instances = lines(await sshOk(cluster.master,
        'gnt-instance list --no-headers --separator="|" -o name,pnode,disk_template,status'));
      const expected = cluster.instances.map((i) => `${i.name}|${i.node}|${i.diskTemplate}|${i.adminUp ? 'running' : 'ADMIN_down'}`).sort();
      assert.deepEqual(instances, expected, `instances of ${cluster.name}`);
      assert.equal((await sshOk(cluster.master, 'gnt-cluster list-tags')).trim(), 'env:glab', `${cluster.name}'s tags`);
    }
  }

  before(async function () {
    requireLab(this);
    await labUp();
    await labReset(); // whatever ran before (a merge test, a person), start from the pre-merge state
    lab = labInfo();
  });

  after(async function () {
    if (lab) await clearFaults();
  });

  it('describes 3 clusters: target with 3 nodes in 2 groups, mergees with 2 and 1, 2 instances per node, one stopped', () => {
    assert.equal(lab.clusters.length, 3);
    assert.deepEqual(lab.clusters.map((c) => c.nodes.length), [3, 2, 1]);
    assert.deepEqual(lab.nodes.map((n) => `${n.shortName}:${n.group}`), ['a1:default', 'a2:default', 'a3:rack2', 'b1:default', 'b2:rack2', 'c1:default']);
    assert.deepEqual(lab.clusters.flatMap((c) => c.instances.filter((i) => !i.adminUp).map((i) => i.name)), [`ib2-2.${lab.domain}`]);
    assert.equal(lab.targetCluster, lab.clusters[0].name);
    assert.deepEqual(lab.mergeeClusters, [lab.clusters[1].name, lab.clusters[2].name]);
    for (const c of lab.clusters) {
      assert.equal(c.instances.length, 2 * c.nodes.length);
      for (const node of c.nodes) {
        assert.deepEqual(c.instances.filter((i) => i.node === node).map((i) => i.diskTemplate).sort(), ['diskless', 'file']);
      }
    }
  });

  it('reaches every node and cluster name from the host by ssh with the lab key and strict host key checking', async () => {
    for (const node of lab.nodes) assert.equal((await sshOk(node.name, 'hostname')).trim(), node.name);
    for (const cluster of lab.clusters) assert.equal((await sshOk(cluster.name, 'hostname')).trim(), cluster.master);
    // the same connection without the lab's known_hosts must be refused: host keys really are checked
    const unknown = await ssh(lab.nodes[0].name, 'true', ['-o', 'UserKnownHostsFile=/dev/null']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /host key/i);
  });

  it('runs the lab\'s Ganeti (3.0, or 3.1 with GCM_LAB_GANETI=3.1) on every node', async () => {
    const release = new RegExp(`^gnt-cluster \\(ganeti [^)]*\\) ${lab.ganetiLab.replace('.', '\\.')}\\.`, 'm');
    for (const node of lab.nodes) {
      assert.match(await sshOk(node.name, 'gnt-cluster --version'), release);
    }
  });

  it('runs node snippets in the fixed environment, never the host user\'s ~/.bashrc (the nodes share /root)', async () => {
    // Node's execFile pipes are sockets, which makes Debian's bash source ~/.bashrc for `bash -c`;
    // a host .bashrc (pyenv here) then changed PATH and could hang every snippet on its lock.
    const r = await nodeExec(lab.nodes[0].name, 'echo "$PATH"; type -t pyenv || echo none');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'none']);
  });

  it('after a reset, config.data is in the form Ganeti writes back: the first verify leaves its bytes and finds every copy equal', async () => {
    await labReset();
    // every copy's checksum (a node without one, not a master candidate, prints nothing)
    const sums = async (nodes: readonly string[]) => (await Promise.all(nodes.map(async (n) =>
      (await nodeExec(n, 'md5sum /var/lib/ganeti/config.data 2>/dev/null | cut -d" " -f1')).stdout.trim()))).filter(Boolean);
    for (const c of lab.clusters) {
      const before = await sums(c.nodes);
      assert.ok(before.length > 0 && new Set(before).size === 1, `${c.name}: the copies differ right after the reset: ${before.join(' ')}`);
      const r = await nodeExec(c.master, 'gnt-cluster verify 2>&1 || true', 180_000);
      assert.doesNotMatch(r.stdout, /ECLUSTERFILECHECK/, `${c.name}: ${r.stdout.split('\n').filter((l) => /ERROR/.test(l)).join('\n')}`);
      // the verify rewrote the file: the same bytes, or a later verify can race the new copy's distribution
      assert.deepEqual(await sums(c.nodes), before, `${c.name}: the first verify after a reset changed config.data`);
    }
  });

  it('starts in the designed pre-merge state', async () => {
    await assertPreMergeState();
  });

  it('reset restores the pre-merge state after changes, in seconds', async () => {
    const mergee = lab.clusters[1];
    const victim = mergee.instances.find((i) => i.adminUp)!.name;
    await sshOk(mergee.master, `gnt-instance shutdown --timeout=0 ${victim}`);
    await sshOk(lab.clusters[0].master, 'gnt-cluster add-tags lab-test-dirty');
    await nodeExec(mergee.nodes[1], 'touch /var/lib/ganeti/lab-test-dirty');
    assert.match(await sshOk(mergee.master, `gnt-instance list --no-headers -o status ${victim}`), /ADMIN_down/);

    const seconds = await labReset();
    console.log(`      lab reset took ${seconds.toFixed(1)} s`);

    await assertPreMergeState();
    const leftover = await nodeExec(mergee.nodes[1], 'test -e /var/lib/ganeti/lab-test-dirty');
    assert.notEqual(leftover.code, 0, 'a file written after the build survived the reset');
    assert.ok(seconds < 120, `reset took ${seconds} s`);
  });

  it('runs every instance as a real guest that answers ping and serves its name and boot id', async function () {
    requireGuests(this, lab);
    for (const i of lab.clusters.flatMap((c) => c.instances)) {
      assert.equal((await run('ping', ['-c', '1', '-W', '2', i.ip])).code, 0, `ping ${i.name} at ${i.ip}`);
      const page = await guestPage(i.ip);
      assert.equal(page?.name, i.name, `http://${i.ip}/ of ${i.name}`);
      assert.match(page?.bootId ?? '', /^[0-9a-f-]{36}$/);
    }
  });

  it('stops a guest promptly on shutdown (ACPI power button) and boots it anew on start', async function () {
    requireGuests(this, lab);
    const cluster = lab.clusters[2];
    const inst = cluster.instances[0];
    const before = await guestBootId(inst.ip, 0);
    assert.ok(before, `${inst.name} answers before the test`);
    const t0 = Date.now();
    // Ganeti's kvm shutdown sends system_powerdown, waits up to --timeout, then kills qemu
    await sshOk(cluster.master, `gnt-instance shutdown --timeout=60 ${inst.name}`);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`      gnt-instance shutdown took ${seconds.toFixed(1)} s`);
    assert.ok(seconds < 45, `the guest did not power off on the ACPI button (shutdown took ${seconds} s)`);
    assert.equal(await guestPage(inst.ip, 1000), undefined, 'the guest still answers after shutdown');
    await sshOk(cluster.master, `gnt-instance startup ${inst.name}`);
    const after = await guestBootId(inst.ip);
    assert.ok(after, `${inst.name} answers after startup`);
    assert.notEqual(after, before, 'a new boot has a new boot id');
  });

  it('fault fail-command makes one command fail on one node only, and clears', async () => {
    const [a1, a2] = lab.clusters[0].nodes;
    await injectFault(a2, { kind: 'fail-command', command: 'gnt-node' });
    const failing = await ssh(a2, 'gnt-node --version');
    assert.notEqual(failing.code, 0);
    assert.match(failing.stderr, /gcm-lab fault: gnt-node made to fail/);
    await sshOk(a1, 'gnt-node --version');
    await sshOk(a2, 'gnt-instance --version'); // only the named command
    await clearFaults(a2);
    assert.match(await sshOk(a2, 'gnt-node --version'), /ganeti/);
  });

  it('fault link-down cuts a node off the network, link-up restores it', async () => {
    const node = lab.nodes.find((n) => n.shortName === 'b2')!;
    await injectFault(node.name, { kind: 'link-down' });
    assert.notEqual((await run('ping', ['-c', '1', '-W', '1', node.ip])).code, 0, 'ping through a downed link');
    const peer = await nodeExec('b1', `ping -c 1 -W 1 ${node.ip}`);
    assert.notEqual(peer.code, 0, 'other nodes reach it neither');
    await injectFault(node.name, { kind: 'link-up' });
    // the bridge port needs a moment to forward again
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) ok = (await run('ping', ['-c', '1', '-W', '1', node.ip])).code === 0;
    assert.ok(ok, 'ping after link-up');
    await sshOk(node.name, 'true');
  });

  it('fault sshd-stop refuses ssh while the node runs on, sshd-start brings it back', async () => {
    const node = lab.nodes.find((n) => n.shortName === 'c1')!;
    await injectFault(node.name, { kind: 'sshd-stop' });
    const refused = await ssh(node.name, 'true');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /refused/i);
    assert.equal((await nodeExec(node.name, 'gnt-instance list --no-headers -o name | wc -l')).stdout.trim(), '2');
    await injectFault(node.name, { kind: 'sshd-start' });
    await sshOk(node.name, 'true');
  });

  it('clear undoes every fault of a node at once', async () => {
    const node = lab.nodes.find((n) => n.shortName === 'a2')!;
    await injectFault(node.name, { kind: 'fail-command', command: 'gnt-cluster' });
    await injectFault(node.name, { kind: 'sshd-stop' });
    await injectFault(node.name, { kind: 'link-down' });
    assert.notEqual((await nodeExec(node.name, 'gnt-cluster --version')).code, 0);
    await clearFaults(node.name);
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) ok = (await ssh(node.name, 'gnt-cluster --version')).code === 0;
    assert.ok(ok, 'ssh + gnt-cluster after clear');
  });

  it('rejects an unknown node or fault with a clear error', async () => {
    await assert.rejects(injectFault('zz9', { kind: 'link-down' }), /unknown node 'zz9'/);
    await assert.rejects(injectFault('a1', { kind: 'bogus' } as never), /unknown fault 'bogus'/);
  });
});
