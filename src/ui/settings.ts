/**
 * The extension's settings (package.json contributes.configuration, section "ganetiMerge"), validated
 * when read: a bad value is reported with the setting's name and what was expected, never guessed at.
 * No vscode import, so the rules can be checked with any key/value reader.
 */
import * as os from 'node:os';
import { validatePlanOptions, type PlanOptionField } from '../core/merger/plan-options';
import type { MergePlanOptions } from '../core/merger/types';
import { isHostName } from '../core/remote/names';
import { quoted } from '../core/safe-text';
import { COMMAND_TIMEOUT_SECONDS } from '../core/session/ssh-session';
import { expandHomePath } from '../core/remote/home-path';

export const SETTINGS_SECTION = 'ganetiMerge';

export interface ClusterSetting {
  /** What the tree shows; unique. */
  readonly name: string;
  /** ssh name of the cluster (master or cluster name), resolved through the ssh config. */
  readonly host: string;
  /** The settings scope the entry was read from (absent when read from a plain value). */
  readonly origin?: ClusterOrigin;
  /** Entries of the same name in scopes that lose to `origin` (VS Code's precedence), named in the tooltip. */
  readonly shadowed?: readonly { readonly origin: ClusterOrigin; readonly host: string }[];
}

/**
 * Where a ganetiMerge.clusters list is written: the user settings, the workspace settings, or (in a
 * multi-root workspace) one folder's settings, named by the folder's URI.
 */
export type ClusterOrigin = 'user' | 'workspace' | FolderOrigin;
export type FolderOrigin = `folder:${string}`;

export function folderOrigin(folderUri: string): FolderOrigin {
  return `folder:${folderUri}`;
}

/** The folder URI of a folder origin, undefined for the user and workspace scopes. */
export function originFolder(origin: ClusterOrigin): string | undefined {
  return origin.startsWith('folder:') ? origin.slice('folder:'.length) : undefined;
}

/**
 * ganetiMerge.clusters as written in each scope that VS Code reads, the winning scope first
 * (folders, then the workspace, then the user: VS Code's precedence for a resource setting). Each scope's list is shown; a name already read from a winning scope is
 * shadowed, not repeated.
 */
export type ClusterScopes = ReadonlyArray<{ readonly origin: ClusterOrigin; readonly value: unknown; /** how problems name the scope ("folder site-a") */ readonly label?: string }>;

export interface GanetiMergeSettings {
  readonly clusters: readonly ClusterSetting[];
  readonly sshConfigFile?: string;
  readonly knownHostsFile?: string;
  readonly identityFile?: string;
  readonly defaults: Omit<MergePlanOptions, 'target' | 'mergees'>;
  readonly commandTimeoutSeconds: number;
}

export interface SettingsResult {
  readonly settings: GanetiMergeSettings;
  /** One message per rejected setting; the default is used in its place. */
  readonly problems: readonly string[];
}

export type SettingsReader = (key: string) => unknown;

/** The setting of each plan option (its rules are validatePlanOptions', shared with the CLI). */
export const PLAN_SETTINGS: ReadonlyArray<[PlanOptionField, string]> = [
  ['groups', 'defaults.groups'], ['networks', 'defaults.networks'], ['params', 'defaults.params'], ['restart', 'defaults.restart'],
  ['stopInstances', 'defaults.stopInstances'], ['watcherPauseSeconds', 'defaults.watcherPauseSeconds'],
  ['ignoredVerifyCodes', 'defaults.ignoredVerifyCodes'], ['concurrency', 'concurrency'],
];

/**
 * Reads and validates every setting; rejected values are named in `problems` and replaced by defaults.
 * Path settings may be written `~/…`, `${userHome}/…` or relative to `homeDir`; they come out absolute.
 */
export function readSettings(get: SettingsReader, homeDir: string = os.homedir(), clusterScopes?: ClusterScopes): SettingsResult {
  const problems: string[] = [];
  const key = (name: string) => `${SETTINGS_SECTION}.${name}`;
  const reject = (name: string, expected: string, value: unknown) =>
    problems.push(`${key(name)}: expected ${expected}, got ${quoted(value)}`);

  const path = (name: string): string | undefined => {
    const value = get(name);
    if (value === undefined || value === null || value === '') return undefined;
    const expanded = typeof value === 'string' ? expandHomePath(value, homeDir) : undefined;
    if (expanded && 'path' in expanded) return expanded.path;
    reject(name, expanded?.error ?? 'a path (absolute, ~/…, ${userHome}/… or relative to the home directory)', value);
    return undefined;
  };
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const value = get(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    reject(name, `an integer from ${min} to ${max}`, value);
    return fallback;
  };
  const settings: GanetiMergeSettings = {
    clusters: clusterScopes ? readClusterScopes(clusterScopes, key('clusters'), problems) : readClusters(get('clusters'), key('clusters'), problems),
    sshConfigFile: path('sshConfigFile'),
    knownHostsFile: path('knownHostsFile'),
    identityFile: path('identityFile'),
    defaults: readPlanDefaults(get, reject),
    commandTimeoutSeconds: integer('commandTimeoutSeconds', COMMAND_TIMEOUT_SECONDS.min, COMMAND_TIMEOUT_SECONDS.max, COMMAND_TIMEOUT_SECONDS.default),
  };
  return { settings, problems };
}

/** The plan option defaults, checked by the merge's own rules; a rejected value falls back to its default. */
function readPlanDefaults(get: SettingsReader, reject: (name: string, expected: string, value: unknown) => void): GanetiMergeSettings['defaults'] {
  const raw: { [F in PlanOptionField]?: unknown } = {};
  for (const [field, name] of PLAN_SETTINGS) raw[field] = get(name);
  const { options, problems } = validatePlanOptions(raw, { clusters: false });
  for (const p of problems) reject(PLAN_SETTINGS.find(([f]) => f === p.field)?.[1] ?? p.field, p.expected, p.got);
  const { target: _target, mergees: _mergees, ...defaults } = options;
  return defaults;
}

/** Validates one cluster entry; a bad entry is dropped (with a problem), the others are kept. */
export function validateCluster(entry: unknown): ClusterSetting | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'an object {name, host}';
  const { name, host } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) return 'a non-empty name (at most 100 characters)';
  if (typeof host !== 'string' || !isHostName(host)) return 'a host name such as cluster1.example.com';
  return { name: name.trim(), host };
}

/** Every scope's clusters, winner first; a name a winning scope defines is kept once, the losers noted as shadowed. */
function readClusterScopes(scopes: ClusterScopes, key: string, problems: string[]): ClusterSetting[] {
  const byName = new Map<string, ClusterSetting>();
  for (const { origin, value, label } of scopes) {
    for (const cluster of readClusters(value, key, problems, ` (${label ?? origin} settings)`)) {
      const winner = byName.get(cluster.name);
      if (winner) byName.set(cluster.name, { ...winner, shadowed: [...(winner.shadowed ?? []), { origin, host: cluster.host }] });
      else byName.set(cluster.name, { ...cluster, origin });
    }
  }
  return [...byName.values()];
}

/** `where` follows the setting's name in a problem: which scope's list it is in. */
function readClusters(value: unknown, key: string, problems: string[], where = ''): ClusterSetting[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key}${where}: expected a list of {name, host}, got ${quoted(value)}`);
    return [];
  }
  const clusters: ClusterSetting[] = [];
  value.forEach((entry, i) => {
    const cluster = validateCluster(entry);
    if (typeof cluster === 'string') {
      problems.push(`${key}[${i}]${where}: expected ${cluster}, got ${quoted(entry)}`);
    } else if (clusters.some((c) => c.name === cluster.name)) {
      problems.push(`${key}[${i}]${where}: the name ${quoted(cluster.name)} is used twice`);
    } else {
      clusters.push(cluster);
    }
  });
  return clusters;
}
