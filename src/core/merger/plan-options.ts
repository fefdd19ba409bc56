/**
 * THE rules of the merge's plan options, for every way they arrive: CLI flags, editor settings,
 * the wizard, a journal read back from disk, startMerge itself. Each value that ends up in a
 * remote argv (cluster names, verify codes) is checked here, before any journal write, lookup or
 * connection.
 */
import { isHostName, normalizeHostName } from '../remote/names';
import { DEFAULT_PLAN_OPTIONS, normalizeStopInstances, STOP_INSTANCES_POLICIES, type MergePlanOptions } from './types';

export type PlanOptionField = keyof MergePlanOptions;

export interface PlanOptionProblem {
  readonly field: PlanOptionField;
  /** What was expected, e.g. "an integer from 1 to 64". */
  readonly expected: string;
  /** The value given (to be shown escaped, or not at all when it came from a file). */
  readonly got: unknown;
}

/** gnt-cluster verify error codes (ENODESETUP, ECLUSTERCERT, ...): passed to `gnt-cluster verify --ignore-errors`. */
export const VERIFY_CODE_PATTERN = /^E[A-Z0-9]{1,63}$/;

const oneOf = (allowed: readonly string[]) => ({
  expected: `one of ${allowed.join(', ')}`,
  ok: (v: unknown) => typeof v === 'string' && allowed.includes(v),
});
const integer = (min: number, max: number) => ({
  expected: `an integer from ${min} to ${max}`,
  ok: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max,
});

/** The rule of each option that has a default (target and mergees are checked as clusters). */
export const PLAN_OPTION_RULES: { readonly [F in Exclude<PlanOptionField, 'target' | 'mergees'>]: { expected: string; ok: (v: unknown) => boolean; normalize?: (v: unknown) => unknown } } = {
  groups: oneOf(['refuse', 'merge', 'rename']),
  networks: oneOf(['refuse', 'merge', 'rename']),
  params: oneOf(['strict', 'warn']),
  restart: oneOf(['all', 'up', 'none']),
  // true/false: settings and journals from before the policy (all/none)
  stopInstances: {
    expected: `one of ${STOP_INSTANCES_POLICIES.join(', ')}`,
    ok: (v) => normalizeStopInstances(v) !== undefined,
    normalize: normalizeStopInstances,
  },
  watcherPauseSeconds: integer(60, 86_400),
  ignoredVerifyCodes: {
    expected: 'a list of gnt-cluster verify codes such as ENODESETUP',
    ok: (v) => Array.isArray(v) && v.length <= 100 && v.every((c) => typeof c === 'string' && VERIFY_CODE_PATTERN.test(c)),
  },
  concurrency: integer(1, 64),
};

const CLUSTER_NAME = 'a host name or IP address (ssh name of the cluster or its master)';

export interface PlanOptionsResult {
  /** Every valid value given, the default for the others (target/mergees as given when valid). */
  readonly options: MergePlanOptions;
  readonly problems: readonly PlanOptionProblem[];
}

/**
 * Checks raw option values (undefined = default). With `clusters`, target and mergees are
 * required: host names or IPs, each cluster named once (in Ganeti's normal form).
 */
export function validatePlanOptions(input: { readonly [F in PlanOptionField]?: unknown }, opts: { clusters: boolean }): PlanOptionsResult {
  const problems: PlanOptionProblem[] = [];
  const options: MergePlanOptions = { ...DEFAULT_PLAN_OPTIONS, ignoredVerifyCodes: [...DEFAULT_PLAN_OPTIONS.ignoredVerifyCodes], target: '', mergees: [] };
  const set = options as unknown as Record<string, unknown>;
  for (const field of Object.keys(PLAN_OPTION_RULES) as Array<keyof typeof PLAN_OPTION_RULES>) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    const rule = PLAN_OPTION_RULES[field];
    if (rule.ok(value)) set[field] = rule.normalize ? rule.normalize(value) : Array.isArray(value) ? [...value] : value;
    else problems.push({ field, expected: rule.expected, got: value });
  }
  if (opts.clusters) {
    const { target, mergees } = input;
    if (typeof target === 'string' && isHostName(target)) options.target = target;
    else problems.push({ field: 'target', expected: CLUSTER_NAME, got: target });
    if (!Array.isArray(mergees) || mergees.length === 0) {
      problems.push({ field: 'mergees', expected: 'at least one mergee cluster', got: mergees });
    } else {
      const seen = new Set(options.target ? [normalizeHostName(options.target)] : []);
      for (const m of mergees) {
        if (typeof m !== 'string' || !isHostName(m)) {
          problems.push({ field: 'mergees', expected: CLUSTER_NAME, got: m });
        } else if (seen.has(normalizeHostName(m))) {
          problems.push({ field: 'mergees', expected: 'each cluster named once (target and mergees differ)', got: m });
        } else {
          seen.add(normalizeHostName(m));
          options.mergees.push(m);
        }
      }
    }
  }
  return { options, problems };
}

/** Thrown by startMerge for options that validatePlanOptions refuses. */
export class PlanOptionsError extends Error {
  readonly code = 'E_PLAN_OPTION';
  constructor(readonly problems: readonly PlanOptionProblem[]) {
    super(`invalid merge options: ${problems.map((p) => `${p.field}: expected ${p.expected}`).join('; ')}`);
    this.name = 'PlanOptionsError';
  }
}
