/**
 * The extension's settings (package.json contributes.configuration, section "ganetiMerge"), validated
 * when read: a bad value is reported with the setting's name and what was expected, never guessed at.
 * No vscode import, so the rules can be checked with any key/value reader.
 */
import * as os from 'node:os';
import { DEFAULT_PLAN_OPTIONS, type MergePlanOptions } from '../core/merger/types';
import { expandHomePath } from '../core/remote/home-path';

export const SETTINGS_SECTION = 'ganetiMerge';

export interface ClusterSetting {
  /** What the tree shows; unique. */
  readonly name: string;
  /** ssh name of the cluster (master or cluster name), resolved through the ssh config. */
  readonly host: string;
}

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

const HOST_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/**
 * Reads and validates every setting; rejected values are named in `problems` and replaced by defaults.
 * Path settings may be written `~/…`, `${userHome}/…` or relative to `homeDir`; they come out absolute.
 */
export function readSettings(get: SettingsReader, homeDir: string = os.homedir()): SettingsResult {
  const problems: string[] = [];
  const key = (name: string) => `${SETTINGS_SECTION}.${name}`;
  const reject = (name: string, expected: string, value: unknown) =>
    problems.push(`${key(name)}: expected ${expected}, got ${JSON.stringify(value)}`);

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
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = get(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    reject(name, `one of ${allowed.join(', ')}`, value);
    return fallback;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = get(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    reject(name, 'true or false', value);
    return fallback;
  };
  const codes = (name: string): string[] => {
    const value = get(name);
    if (value === undefined || value === null) return [...DEFAULT_PLAN_OPTIONS.ignoredVerifyCodes];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && /^[A-Z0-9_-]+$/.test(v))) return [...value];
    reject(name, 'a list of verify codes such as ENODESETUP', value);
    return [...DEFAULT_PLAN_OPTIONS.ignoredVerifyCodes];
  };

  const settings: GanetiMergeSettings = {
    clusters: readClusters(get('clusters'), key('clusters'), problems),
    sshConfigFile: path('sshConfigFile'),
    knownHostsFile: path('knownHostsFile'),
    identityFile: path('identityFile'),
    defaults: {
      groups: oneOf('defaults.groups', ['refuse', 'merge', 'rename'] as const, DEFAULT_PLAN_OPTIONS.groups),
      params: oneOf('defaults.params', ['strict', 'warn'] as const, DEFAULT_PLAN_OPTIONS.params),
      restart: oneOf('defaults.restart', ['all', 'up', 'none'] as const, DEFAULT_PLAN_OPTIONS.restart),
      stopInstances: flag('defaults.stopInstances', DEFAULT_PLAN_OPTIONS.stopInstances),
      watcherPauseSeconds: integer('defaults.watcherPauseSeconds', 60, 86_400, DEFAULT_PLAN_OPTIONS.watcherPauseSeconds),
      ignoredVerifyCodes: codes('defaults.ignoredVerifyCodes'),
      concurrency: integer('concurrency', 1, 64, DEFAULT_PLAN_OPTIONS.concurrency),
    },
    commandTimeoutSeconds: integer('commandTimeoutSeconds', 1, 86_400, 600),
  };
  return { settings, problems };
}

/** Validates one cluster entry; a bad entry is dropped (with a problem), the others are kept. */
export function validateCluster(entry: unknown): ClusterSetting | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'an object {name, host}';
  const { name, host } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) return 'a non-empty name (at most 100 characters)';
  if (typeof host !== 'string' || !HOST_PATTERN.test(host)) return 'a host name such as cluster1.example.com';
  return { name: name.trim(), host };
}

function readClusters(value: unknown, key: string, problems: string[]): ClusterSetting[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key}: expected a list of {name, host}, got ${JSON.stringify(value)}`);
    return [];
  }
  const clusters: ClusterSetting[] = [];
  value.forEach((entry, i) => {
    const cluster = validateCluster(entry);
    if (typeof cluster === 'string') {
      problems.push(`${key}[${i}]: expected ${cluster}, got ${JSON.stringify(entry)}`);
    } else if (clusters.some((c) => c.name === cluster.name)) {
      problems.push(`${key}[${i}]: the name ${JSON.stringify(cluster.name)} is used twice`);
    } else {
      clusters.push(cluster);
    }
  });
  return clusters;
}
