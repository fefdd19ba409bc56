/**
 * Where an object sits in config.data, as the merge plan names it: a top-level map's entry (by
 * name or uuid), optionally one key of it or a line holding a value (a MAC, a DRBD port), or the
 * objects a finding names ("node n1 (uuid)", "cluster.mac_prefix"). The editor turns a place into
 * a line of the printed config (src/ui/finding-location.ts); the CLI's documents ignore it.
 */
export type ConfigSection = 'nodes' | 'instances' | 'nodegroups' | 'networks' | 'disks';

export type ConfigPlace =
  | { readonly section: ConfigSection; readonly name?: string; readonly uuid?: string; readonly key?: string; readonly value?: string }
  | { readonly objects: readonly string[] };
