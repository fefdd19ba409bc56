import * as assert from 'node:assert/strict';
import { ganeti } from '../../../src/core/remote';
import type { RemoteCommand } from '../../../src/core/remote/command';
import { RemoteError } from '../../../src/core/remote/errors';
import { interpretResult } from '../../../src/core/remote/runner';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import * as S from './samples';

/** A runner that answers any command with the given output. */
const reply = (stdout: string, code = 0) => new ScriptedRunner(() => ({ stdout, code }));

describe('remote/commands: parsers on Ganeti 3.0 output', () => {
  it('cluster version (3.x and 2.x)', async () => {
    assert.deepEqual(await reply(S.VERSION_3).run('m', ganeti.clusterVersion()), {
      major: 3, minor: 0, revision: 2, version: '3.0.2', build: 'ganeti 3.0.2-3',
    });
    assert.equal((await reply(S.VERSION_2).run('m', ganeti.clusterVersion())).major, 2);
    // 3.1's pre-release tag stays in build: a 3.1.0~rc2 and a 3.1.0 node have one protocol and config version
    assert.deepEqual(await reply(S.VERSION_31).run('m', ganeti.clusterVersion()), {
      major: 3, minor: 1, revision: 0, version: '3.1.0', build: 'ganeti 3.1.0~rc2-3',
    });
    await assert.rejects(reply('bash: gnt-cluster: command not found\n').run('m', ganeti.clusterVersion()), (e: RemoteError) => e.kind === 'parse');
  });

  it('cluster info picks top-level fields and ignores nested blocks', async () => {
    const info = await reply(S.CLUSTER_INFO).run('m', ganeti.clusterInfo());
    assert.equal(info.name, 'clustera.glab.test');
    assert.equal(info.masterNode, 'a1.glab.test');
    assert.equal(info.uuid, '0b5b5b0e-7c37-4b45-9ae3-0d2f6c6f9f10');
    assert.deepEqual(info.enabledHypervisors, ['fake']);
    assert.equal(info.fields['candidate pool size'], undefined, 'nested keys are not top-level');
    assert.equal(info.fields['Hypervisor parameters'], undefined, 'block headers carry no value');
    assert.equal(info.fields['Architecture (this node)'], '64bits (x86_64)');
    assert.throws(() => ganeti.parseClusterInfo(['Cluster name: x']), /Cluster UUID/);
  });

  it('master node from ssconf', async () => {
    assert.equal(await reply('a1.glab.test\n').run('m', ganeti.masterNode()), 'a1.glab.test');
    await assert.rejects(reply('a1\nb1\n').run('m', ganeti.masterNode()), /expected one node name/);
    await assert.rejects(reply('$(x)\n').run('m', ganeti.masterNode()), /expected one node name/);
  });

  it('node list with offline flag, role and group', async () => {
    const nodes = await reply(S.NODE_LIST).run('m', ganeti.nodeList());
    assert.deepEqual(nodes, [
      { name: 'a1.glab.test', offline: false, role: 'master', group: 'default' },
      { name: 'a2.glab.test', offline: false, role: 'candidate', group: 'default' },
      { name: 'a3.glab.test', offline: true, role: 'offline', group: 'rack2' },
    ]);
    assert.deepEqual(ganeti.nodeList().argv, ['gnt-node', 'list', '-o', 'name,offline,role,group', '--no-headers', '--separator=|']);
    await assert.rejects(reply('a1|N|M\n').run('m', ganeti.nodeList()), /line 1 has 3 fields, expected 4/);
    await assert.rejects(reply('a1|maybe|M|g\n').run('m', ganeti.nodeList()), /expected Y or N/);
    await assert.rejects(reply('a1|N|Z|g\n').run('m', ganeti.nodeList()), /unknown role "Z"/);
  });

  describe('hostile but possible list output: a coded parse error naming host and command, never a wrong list', () => {
    // interpretResult is what every runner applies: raw bytes in, as they came over the channel
    const refused = async (what: string, stdout: string | Buffer, command: () => RemoteCommand<unknown>, message: RegExp) => {
      const result = { code: 0, stdout: Buffer.isBuffer(stdout) ? stdout : Buffer.from(stdout), stderr: Buffer.alloc(0), durationMs: 0 };
      assert.throws(() => interpretResult('m1.example', command(), result), (e: RemoteError) => {
        assert.equal(e.kind, 'parse', what);
        assert.match(e.message, /^m1\.example: cannot understand the output of gnt-/, what);
        assert.match(e.message, message, what);
        return true;
      });
    };
    it('a node list without exactly one master: empty, cut off, or two masters', async () => {
      await refused('empty output', '', ganeti.nodeList, /0 node\(s\) listed with 0 master\(s\)/);
      await refused('only blank lines', '\n  \r\n', ganeti.nodeList, /0 node\(s\) listed/);
      await refused('cut off before the master', 'a2.glab.test|N|C|default\n', ganeti.nodeList, /1 node\(s\) listed with 0 master/);
      await refused('two masters', 'a1.glab.test|N|M|default\na2.glab.test|N|M|default\n', ganeti.nodeList, /2 master\(s\)/);
    });
    it('a name listed twice (duplicated lines)', async () => {
      await refused('node twice', `${S.NODE_LIST}a2.glab.test|N|C|default\n`, ganeti.nodeList, /line 4 lists "a2\.glab\.test" a second time/);
      await refused('instance twice', `${S.INSTANCE_LIST}inst-a1-1.glab.test|running|a1.glab.test\n`, ganeti.instanceList, /a second time/);
      await refused('group twice', `${S.GROUP_LIST}${S.GROUP_LIST}`, ganeti.groupList, /line 3 lists "default" a second time/);
    });
    it('names that are not DNS names: a header line, mangled bytes, a shell word, an option', async () => {
      await refused('a header', 'Node|Offline|Role|Group\na1.glab.test|N|M|default\n', ganeti.nodeList, /unknown role "Role"/);
      await refused('non-UTF-8 bytes', Buffer.from([...Buffer.from('a1.gl'), 0xff, ...Buffer.from('ab.test|N|M|default\n')]), ganeti.nodeList, /node name "a1\.gl\ufffdab\.test" is not a DNS name/);
      await refused('shell word', '$(reboot)|N|M|default\n', ganeti.nodeList, /node name "\$\(reboot\)" is not a DNS name/);
      await refused('an option as instance', '--all|running|a1.glab.test\n', ganeti.instanceList, /instance name "--all" is not a DNS name/);
      await refused('an empty primary node', 'i1.glab.test|running|\n', ganeti.instanceList, /primary node name "" is not a DNS name/);
      await assert.rejects(reply('Master node: -oProxyCommand=sh\nCluster name: c\nCluster UUID: u\n').run('m', ganeti.clusterInfo()), /master node name "-oProxyCommand=sh" is not a DNS name/);
      await assert.rejects(reply('Master node: a1\nCluster name: ../../x\nCluster UUID: u\n').run('m', ganeti.clusterInfo()), /cluster name "\.\.\/\.\.\/x" is not a DNS name/);
    });
    it('columns swapped (numbers where names belong) or one missing', async () => {
      await refused('group columns swapped', 'default|2|3f9a|preferred\n', ganeti.groupList, /node count "3f9a" is not a number/);
      await refused('node role and group swapped', 'a1.glab.test|N|default|M\n', ganeti.nodeList, /unknown role "default"/);
      await refused('a missing column', 'inst1.glab.test|running\n', ganeti.instanceList, /line 1 has 2 fields, expected 3/);
    });
    it('accepted: trailing spaces, CRLF line ends and blank lines around a well-formed list', async () => {
      const crlf = ' a1.glab.test |N|M|default \r\n\r\na2.glab.test|N|C|default\r\n';
      assert.deepEqual((await reply(crlf).run('m', ganeti.nodeList())).map((n) => `${n.name} ${n.role}`), ['a1.glab.test master', 'a2.glab.test candidate']);
    });
  });

  it('instance list with status and primary node', async () => {
    const list = await reply(S.INSTANCE_LIST).run('m', ganeti.instanceList());
    assert.deepEqual(list.map((i) => [i.name, i.status, i.primaryNode, i.running]), [
      ['inst-a1-1.glab.test', 'running', 'a1.glab.test', true],
      ['inst-a1-2.glab.test', 'ADMIN_down', 'a1.glab.test', false],
      ['inst-a2-1.glab.test', 'ERROR_down', 'a2.glab.test', false],
      ['inst-a2-2.glab.test', 'ERROR_up', 'a2.glab.test', true],
    ]);
    await assert.rejects(reply('x|weird|n\n').run('m', ganeti.instanceList()), /unknown status "weird"/);
    assert.deepEqual(await reply('').run('m', ganeti.instanceList()), []);
  });

  it('group list', async () => {
    const groups = await reply(S.GROUP_LIST).run('m', ganeti.groupList());
    assert.deepEqual(groups.map((g) => [g.name, g.nodeCount, g.allocPolicy]), [['default', 2, 'preferred'], ['rack2', 1, 'last_resort']]);
    await assert.rejects(reply('g|u|two|p\n').run('m', ganeti.groupList()), /not a number/);
  });

  it('network list: subnet, gateway when set, group and instance counts', async () => {
    const networks = await reply('net1|u1|10.0.0.0/24|10.0.0.1|2|5\nnet2|u2|192.168.9.0/28|None|0|0\n').run('m', ganeti.networkList());
    assert.deepEqual(networks, [
      { name: 'net1', uuid: 'u1', subnet: '10.0.0.0/24', gateway: '10.0.0.1', groupCount: 2, instanceCount: 5 },
      { name: 'net2', uuid: 'u2', subnet: '192.168.9.0/28', groupCount: 0, instanceCount: 0 },
    ]);
    assert.deepEqual(ganeti.networkList().argv.slice(0, 4), ['gnt-network', 'list', '-o', 'name,uuid,network,gateway,group_cnt,inst_cnt']);
    await assert.rejects(reply('n|u|10.0.0.0/24|-|x|0\n').run('m', ganeti.networkList()), /network n: group count "x" is not a number/);
    await assert.rejects(reply('n|u|10.0.0.0/24\n').run('m', ganeti.networkList()), /3 fields, expected 6/);
  });

  it('watcher pause / continue', async () => {
    const paused = await reply('The watcher is paused until Wed Nov 25 13:00:00 2026.\n').run('m', ganeti.watcherPause(3600));
    assert.deepEqual(paused, { paused: true, until: 'Wed Nov 25 13:00:00 2026' });
    assert.deepEqual(ganeti.watcherPause(3600).argv, ['gnt-cluster', 'watcher', 'pause', '3600']);
    assert.deepEqual(await reply('The watcher is no longer paused.\n').run('m', ganeti.watcherContinue()), { paused: false });
    assert.throws(() => ganeti.watcherPause(0), /1\.\.604800/);
    assert.throws(() => ganeti.watcherPause(1.5), /whole seconds/);
  });

  it('verify: errors and warnings with codes, ignored codes demoted, exit 1 is a result', async () => {
    const bad = await reply(S.VERIFY_WITH_ERRORS, 1).run('m', ganeti.clusterVerify());
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.errors.map((e) => [e.code, e.objectType, e.objectName]), [
      ['ENODESETUP', 'node', 'a1.glab.test'], ['EINSTANCEDOWN', 'instance', 'inst-a2-1.glab.test'],
    ]);
    assert.equal(bad.errors[0].message, "node setup error: The procfs filesystem doesn't seem to be mounted under /proc, missing required directory /proc/sys and the file /proc/sysrq-trigger");
    assert.deepEqual(bad.warnings.map((w) => w.code), ['ENODESSH']);
    assert.equal(bad.warnings[0].message, "ssh communication with node 'a1.glab.test': ssh problem");

    const cmd = ganeti.clusterVerify({ ignoreErrors: ['ENODESETUP'] });
    assert.deepEqual(cmd.argv, ['gnt-cluster', 'verify', '--error-codes', '--ignore-errors=ENODESETUP']);
    const clean = await reply(S.VERIFY_CLEAN_IGNORED, 0).run('m', cmd);
    assert.deepEqual([clean.ok, clean.errors.length, clean.warnings.length], [true, 0, 1]);

    const old = ganeti.parseVerifyOutput(S.VERIFY_NO_CODES.split('\n'), 1);
    assert.deepEqual([old.errors[0].code, old.errors[0].objectName, old.failedJobs], [undefined, 'a1.glab.test', 1]);
    assert.throws(() => ganeti.clusterVerify({ ignoreErrors: ['ENODESETUP;reboot'] }), /invalid verify error code/);
    await assert.rejects(reply('boom', 2).run('m', ganeti.clusterVerify()), (e: RemoteError) => e.kind === 'exit' && e.exitCode === 2);
  });
});

describe('remote/commands: argv builders', () => {
  it('instance shutdown/startup: all or named, never interactive', () => {
    assert.deepEqual(ganeti.instanceShutdown({ all: true }).argv, ['gnt-instance', 'shutdown', '--force-multiple', '--all']);
    assert.deepEqual(ganeti.instanceStartup({ names: ['i1.example.com', 'i2'] }).argv,
      ['gnt-instance', 'startup', '--force-multiple', '--', 'i1.example.com', 'i2']);
    assert.throws(() => ganeti.instanceStartup({ names: ['i1;reboot'] }), /invalid instance name/);
    assert.throws(() => ganeti.instanceStartup({ names: [] }), /no instances named/);
  });

  it('daemon-util and the version-specific no-voting master start', () => {
    assert.deepEqual(ganeti.daemonUtil('stop-all').argv, ['/usr/lib/ganeti/daemon-util', 'stop-all']);
    assert.deepEqual(ganeti.daemonUtil('reload-ssh-keys').argv, ['/usr/lib/ganeti/daemon-util', 'reload-ssh-keys']);
    assert.deepEqual(ganeti.startMasterNoVoting(3).argv, [
      'env', 'EXTRA_WCONFD_ARGS=--no-voting --yes-do-it', 'EXTRA_LUXID_ARGS=--no-voting --yes-do-it',
      '/usr/lib/ganeti/daemon-util', 'start-master',
    ]);
    assert.deepEqual(ganeti.startMasterNoVoting(2).argv, [
      'env', 'EXTRA_MASTERD_ARGS=--no-voting --yes-do-it', '/usr/lib/ganeti/daemon-util', 'start-master',
    ]);
  });

  it('master IP, node readd, redist-conf', () => {
    assert.deepEqual(ganeti.deactivateMasterIp().argv, ['gnt-cluster', 'deactivate-master-ip', '--yes']);
    assert.deepEqual(ganeti.activateMasterIp().argv, ['gnt-cluster', 'activate-master-ip']);
    assert.deepEqual(ganeti.nodeReadd('b1.glab.test').argv, ['gnt-node', 'add', '--readd', '--no-ssh-key-check', '--', 'b1.glab.test']);
    assert.throws(() => ganeti.nodeReadd('$(x)'), /invalid node name/);
    assert.deepEqual(ganeti.redistConf().argv, ['gnt-cluster', 'redist-conf']);
  });

  it('files: read is secret output, write validates path, mode and owner', () => {
    assert.equal(ganeti.readFile('/var/lib/ganeti/config.data').secretOutput, true);
    assert.throws(() => ganeti.readFile('relative/path'), /invalid remote path/);
    assert.throws(() => ganeti.readFile('/a/../etc/shadow'), /invalid remote path/);
    assert.throws(() => ganeti.writeFileAtomic('/x', 'y', { mode: '0649' }), /invalid file mode/);
    assert.throws(() => ganeti.writeFileAtomic('/x', 'y', { mode: '0640', owner: 'root;id' }), /invalid owner/);
    const w = ganeti.writeFileAtomic('/var/lib/ganeti/config.data', '{"secret":1}', { mode: '0640', owner: 'gnt-masterd:gnt-confd' });
    assert.equal(w.stdin, '{"secret":1}');
    assert.ok(!w.argv.some((a) => String(a).includes('secret')), 'content travels over stdin, not argv');
  });

  it('authorized_keys and snapshot ids are validated', () => {
    assert.throws(() => ganeti.addAuthorizedKey('ssh-ed25519 AAAA x\nssh-rsa BBBB evil'), /invalid authorized_keys line/);
    assert.throws(() => ganeti.addAuthorizedKey('not a key'), /invalid authorized_keys line/);
    assert.doesNotThrow(() => ganeti.addAuthorizedKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv0 root@a1'));
    assert.throws(() => ganeti.createSnapshot('../x'), /invalid snapshot id/);
    assert.throws(() => ganeti.createSnapshot('ok', { ganetiDir: '/', snapshotDir: '/tmp' }), /refusing/);
    const parsed = ganeti.parseSnapshotInfo('/s/x.tar', ['10240 ' + 'a'.repeat(64)]);
    assert.deepEqual(parsed, { path: '/s/x.tar', bytes: 10240, sha256: 'a'.repeat(64) });
  });
});
