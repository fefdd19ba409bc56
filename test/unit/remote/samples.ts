/** Output samples in the formats Ganeti 3.0.2 prints (checked against the lab's real output, names adapted). */
export const VERSION_3 = 'gnt-cluster (ganeti 3.0.2-3) 3.0.2\n';
/** Debian 13's Ganeti 3.1 (the 3.1 lab): a pre-release tag after X.Y.Z. */
export const VERSION_31 = 'gnt-cluster (ganeti 3.1.0~rc2-3) 3.1.0~rc2\n';
export const VERSION_2 = 'gnt-cluster (ganeti v2.16.0~rc2) 2.16.0\n';

export const CLUSTER_INFO = `Cluster name: clustera.glab.test
Cluster UUID: 0b5b5b0e-7c37-4b45-9ae3-0d2f6c6f9f10
Creation time: 2026-11-25 10:01:02
Modification time: 2026-11-25 10:05:41
Master node: a1.glab.test
Architecture (this node): 64bits (x86_64)
Tags: (none)
Default hypervisor: fake
Enabled hypervisors: fake
Hypervisor parameters: 
  fake: 
    migration_mode: live
OS-specific hypervisor parameters: 
OS parameters:
Hidden OSes:
Blacklisted OSes:
Cluster parameters:
  candidate pool size: 10
  master netdev: eth0
  file storage path: /srv/ganeti/file-storage
  compression tools: 
    - gzip
    - gzip-fast
  ssh_key_type: rsa
Default node parameters: 
  oob_program: 
  ssh_port: 22
`;

export const NODE_LIST = 'a1.glab.test|N|M|default\na2.glab.test|N|C|default\na3.glab.test|Y|O|rack2\n';

export const INSTANCE_LIST = [
  'inst-a1-1.glab.test|running|a1.glab.test',
  'inst-a1-2.glab.test|ADMIN_down|a1.glab.test',
  'inst-a2-1.glab.test|ERROR_down|a2.glab.test',
  'inst-a2-2.glab.test|ERROR_up|a2.glab.test',
  '',
].join('\n');

export const GROUP_LIST = 'default|3f9a1c1e-3a2b-4c5d-8e9f-001122334455|2|preferred\nrack2|7d2c4a0b-1111-2222-3333-444455556666|1|last_resort\n';

export const VERIFY_WITH_ERRORS = `Submitted jobs 14, 15
Waiting for job 14 ...
Wed Nov 25 12:00:01 2026 * Verifying cluster config
Wed Nov 25 12:00:01 2026 * Verifying cluster certificate files
Wed Nov 25 12:00:01 2026 * Verifying hypervisor parameters
Wed Nov 25 12:00:01 2026 * Verifying all nodes belong to an existing group
Waiting for job 15 ...
Wed Nov 25 12:00:02 2026 * Verifying group 'default'
Wed Nov 25 12:00:02 2026 * Gathering data (2 nodes)
Wed Nov 25 12:00:02 2026 * Gathering information about nodes (2 nodes)
Wed Nov 25 12:00:04 2026 * Gathering disk information (2 nodes)
Wed Nov 25 12:00:04 2026 * Verifying configuration file consistency
Wed Nov 25 12:00:04 2026 * Verifying node status
Wed Nov 25 12:00:04 2026   - ERROR:ENODESETUP:node:a1.glab.test:node setup error: The procfs filesystem doesn't seem to be mounted under /proc, missing required directory /proc/sys and the file /proc/sysrq-trigger
Wed Nov 25 12:00:04 2026   - WARNING:ENODESSH:node:a2.glab.test:ssh communication with node 'a1.glab.test': ssh problem
Wed Nov 25 12:00:04 2026 * Verifying instance status
Wed Nov 25 12:00:04 2026   - ERROR:EINSTANCEDOWN:instance:inst-a2-1.glab.test:instance not running on its primary node a2.glab.test
Wed Nov 25 12:00:04 2026 * Verifying orphan volumes
Wed Nov 25 12:00:04 2026 * Verifying N+1 Memory redundancy
Wed Nov 25 12:00:04 2026 * Other Notes
Wed Nov 25 12:00:04 2026   - NOTICE: 4 non-redundant instance(s) found.
Wed Nov 25 12:00:05 2026 * Hooks Results
`;

export const VERIFY_CLEAN_IGNORED = `Submitted jobs 20, 21
Waiting for job 20 ...
Wed Nov 25 12:10:01 2026 * Verifying cluster config
Waiting for job 21 ...
Wed Nov 25 12:10:04 2026 * Verifying node status
Wed Nov 25 12:10:04 2026   - WARNING:ENODESETUP:node:a1.glab.test:node setup error: The procfs filesystem doesn't seem to be mounted under /proc, missing required directory /proc/sys and the file /proc/sysrq-trigger
Wed Nov 25 12:10:05 2026 * Hooks Results
`;

export const VERIFY_NO_CODES = 'Wed Nov 25 12:00:04 2026   - ERROR: node a1.glab.test: Can\'t find /proc/sysrq-trigger\n1 job(s) failed while verifying the cluster.\n';
